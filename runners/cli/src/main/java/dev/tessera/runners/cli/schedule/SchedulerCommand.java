package dev.tessera.runners.cli.schedule;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tessera scheduler}: runs due firings in the foreground until stopped. */
@Command(name = "scheduler", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Runs the schedules in $TESSERA_HOME/schedules in the foreground, one log line per decision.",
        "",
        "Each run is a child process ('tessera run <experiment>'), so its state survives the scheduler. Several "
            + "schedulers may share one $TESSERA_HOME: each firing is claimed by one of them (an OS file lock, "
            + "released if its holder dies), and a run whose scheduler died is waited for, or resumed "
            + "('tessera resume') if its process died too.",
        "",
        "On SIGTERM (or Ctrl-C) it starts nothing new, waits up to --stop-grace for its runs to end, and leaves "
            + "the rest to the next scheduler, which resumes them; then it waits up to --webhook-grace for webhook "
            + "events still being sent."},
    footer = {"", "Examples:", "  tessera scheduler", "  TESSERA_HOME=/srv/tessera tessera scheduler --stop-grace 600"})
public final class SchedulerCommand implements Callable<Integer> {
  private final Scheduler scheduler;
  private final ChildProcessLauncher launcher;
  private final WebhookNotifier notifier;
  private final Clock clock;
  private final Object wake = new Object();
  @Spec CommandSpec spec;

  @Option(names = "--stop-grace", defaultValue = "60", paramLabel = "SECONDS",
      description = "On SIGTERM, how long to wait for running runs to end (default: ${DEFAULT-VALUE}).")
  long stopGraceSeconds;

  @Option(names = "--webhook-grace", defaultValue = "30", paramLabel = "SECONDS",
      description = "On stopping, how long to wait for webhook events still being sent or retried "
          + "(default: ${DEFAULT-VALUE}); then they are given up.")
  long webhookGraceSeconds;

  @Option(names = "--poll", defaultValue = "1000", paramLabel = "MILLIS",
      description = "How often to look for ended runs and changed schedules (default: ${DEFAULT-VALUE}).")
  long pollMillis;

  @Inject
  SchedulerCommand(Scheduler scheduler, ChildProcessLauncher launcher, WebhookNotifier notifier, Clock clock) {
    this.scheduler = scheduler;
    this.launcher = launcher;
    this.notifier = notifier;
    this.clock = clock;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (stopGraceSeconds < 0 || webhookGraceSeconds < 0 || pollMillis < 10) {
      throw new dev.tessera.runners.cli.UsageException("--stop-grace and --webhook-grace must be >= 0 and --poll "
          + ">= 10, but were " + stopGraceSeconds + ", " + webhookGraceSeconds + " and " + pollMillis + ".");
    }
    // --tracking-uri is the top-level command's (inherited); the runs, separate processes, get it as well.
    String trackingUri = spec.findOption("--tracking-uri") == null ? null
        : spec.findOption("--tracking-uri").getValue();
    if (trackingUri != null) {
      launcher.forwardTrackingUri(trackingUri);
    }
    PrintWriter out = spec.commandLine().getOut();
    scheduler.logTo(line -> {
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    });
    CountDownLatch finished = new CountDownLatch(1);
    Thread onTerm = new Thread(() -> {
      scheduler.stop();
      synchronized (wake) {
        wake.notifyAll();
      }
      try {
        finished.await(stopGraceSeconds + webhookGraceSeconds + 10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tessera-scheduler-stop");
    Runtime.getRuntime().addShutdownHook(onTerm);
    say(out, "scheduler started (pid " + ProcessHandle.current().pid() + "); next firing "
        + scheduler.nextFiring().map(Instant::toString).orElse("none: no active schedules"));
    try {
      loop();
      say(out, "stopping: starting nothing new; waiting up to " + stopGraceSeconds + " s for "
          + scheduler.running() + " run(s)");
      Instant deadline = clock.instant().plusSeconds(stopGraceSeconds);
      while (scheduler.running() > 0 && clock.instant().isBefore(deadline)) {
        scheduler.tick();
        synchronized (wake) {
          wake.wait(Math.min(200, pollMillis));
        }
      }
      scheduler.release();
      if (!scheduler.webhooksSent().isDone()) {
        say(out, "waiting up to " + webhookGraceSeconds + " s for webhook events to be sent");
      }
      notifier.drain(Duration.ofSeconds(webhookGraceSeconds));
      say(out, "scheduler stopped");
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onTerm);
      } catch (IllegalStateException shuttingDown) {
        // SIGTERM: the hook is running and waits for the lines above.
      }
    }
    return 0;
  }

  /** Ticks until stopped, waking for the next firing or every --poll milliseconds, whichever is sooner. */
  private void loop() throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      scheduler.tick();
      if (stopping()) {
        return;
      }
      long untilNext = scheduler.nextFiring()
          .map(t -> Math.max(0, Duration.between(clock.instant(), t).toMillis())).orElse(pollMillis);
      pause(Math.max(1, Math.min(pollMillis, untilNext)));
      if (stopping()) {
        return;
      }
    }
  }

  private boolean stopping() {
    return scheduler.isStopping();
  }

  /** Waits, unless a stop arrived (the stop hook wakes the wait, so a stop is never waited out). */
  private void pause(long millis) throws InterruptedException {
    synchronized (wake) {
      if (!scheduler.isStopping()) {
        wake.wait(millis);
      }
    }
  }

  private void say(PrintWriter out, String line) {
    synchronized (out) {
      out.println(clock.instant() + " " + line);
      out.flush();
    }
  }
}
