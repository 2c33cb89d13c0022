package dev.tessera.runners.cli.schedule;

import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Decides, at each {@link #tick()}, what every schedule's due firings do, and starts their runs.
 *
 * <p>Guarantees: a firing is settled by exactly one process (the one holding its {@link FiringClaim}); it runs at
 * most once (a record is written before the launch, and a firing with a record is never launched again, only
 * resumed); a firing while the schedule's previous run still runs is skipped or queued ({@link OverlapPolicy});
 * firings that fell into downtime are recorded, and the latest runs once or not at all ({@link MissedPolicy}); a
 * run whose scheduler died is taken over by the next scheduler, which waits for it if its process lives and
 * resumes it if not. A run that succeeded but left its model's registration/promotion pending (the MLflow server
 * was away) keeps its firing {@code publication-pending}, which counts as running for the overlap policy, until
 * the {@link PublicationCompleter} has completed it. Time comes from the injected {@link Clock} only, so a test
 * can replay a month in seconds.
 */
public final class Scheduler {
  /** A firing noticed later than this after its time counts as missed (no scheduler was running). */
  static final Duration GRACE = Duration.ofMinutes(1);
  /** How long a launch whose pid was never recorded is given to show up before it counts as never started. */
  static final Duration LAUNCH_SETTLE = Duration.ofSeconds(10);
  /** Launches per firing at most (the first and resumes after interruptions). */
  static final int MAX_ATTEMPTS = 3;
  /** At most this many of the newest missed firings are recorded one by one after a long downtime. */
  static final int MAX_MISSED = 1000;

  private final ScheduleStore store;
  private final Launcher launcher;
  private final Clock clock;
  private final Map<String, FiringCondition> conditions;
  private final WebhookNotifier notifier;
  private final PublicationCompleter publications;
  private final Map<String, ActiveFiring> active = new LinkedHashMap<>();
  private final Map<String, Deque<ActiveFiring>> queued = new LinkedHashMap<>();
  private Consumer<String> log = line -> { };
  private volatile boolean stopping;
  private CompletableFuture<Void> webhooks = CompletableFuture.completedFuture(null);

  @Inject
  public Scheduler(ScheduleStore store, Launcher launcher, Clock clock, Map<String, FiringCondition> conditions,
      WebhookNotifier notifier) {
    this.store = store;
    this.launcher = launcher;
    this.clock = clock;
    this.conditions = Map.copyOf(conditions);
    this.notifier = notifier;
    this.publications = new PublicationCompleter(store, launcher, clock, new Held());
  }

  /** The firings this scheduler holds, as the {@link PublicationCompleter} settles, logs and posts them. */
  private final class Held implements PublicationCompleter.Firings {
    @Override
    public void settle(ActiveFiring firing, FiringOutcome outcome, String reason) {
      Scheduler.this.settle(firing, outcome, reason);
    }

    @Override
    public void say(ActiveFiring firing, String decision, String why) {
      Scheduler.this.say(firing.schedule, firing.record.scheduled(), decision, why);
    }

    @Override
    public void post(ActiveFiring firing, WebhookEvent event) {
      Scheduler.this.post(firing.schedule, event);
    }
  }

  /** Where the one line per decision goes. */
  public void logTo(Consumer<String> sink) {
    this.log = sink;
    notifier.logTo(line -> sink.accept(clock.instant() + " " + line));
  }

  /** Settles ended runs, takes over firings of dead schedulers, and handles every due firing. */
  public synchronized void tick() {
    Instant now = clock.instant();
    List<ScheduleSpec> schedules = store.list();
    for (ScheduleSpec schedule : schedules) {
      if (!stopping) {
        adoptOrphans(schedule); // paused or not: a run that lost its scheduler still needs one
      }
    }
    pollRuns();
    if (stopping) {
      return;
    }
    publications.startDue(active.values(), now);
    for (ScheduleSpec schedule : schedules) {
      if (!schedule.paused()) {
        fireDue(schedule, now);
        startQueued(schedule);
      }
    }
  }

  /** When the next firing of any active schedule is due (for the foreground loop's wait). */
  public synchronized Optional<Instant> nextFiring() {
    Instant now = clock.instant();
    return store.list().stream().filter(s -> !s.paused())
        .map(s -> s.schedule().next(now)).min(Instant::compareTo);
  }

  /** The number of runs this process watches. */
  public synchronized int running() {
    return (int) active.values().stream().filter(a -> a.run != null).count();
  }

  /** Stop starting runs; {@link #tick()} only settles the ones that end. */
  public void stop() {
    stopping = true;
  }

  public boolean isStopping() {
    return stopping;
  }

  /** Releases every claim, leaving unfinished firings to the next scheduler (which resumes their runs). */
  public synchronized void release() {
    for (ActiveFiring a : active.values()) {
      say(a.schedule, a.record.scheduled(), "left to the next scheduler", a.record.runId() == null
          ? "run not started or not yet recorded" : a.record.outcome() == FiringOutcome.PUBLICATION_PENDING
          ? "the publication of run " + a.record.runId() + " is pending" : "run " + a.record.runId() + " resumable");
      a.claim.close();
    }
    active.clear();
    queued.values().forEach(q -> q.forEach(a -> a.claim.close()));
    queued.clear();
  }

  private void adoptOrphans(ScheduleSpec schedule) {
    for (FiringRecord record : store.firings(schedule.name())) {
      String key = record.schedule() + "@" + record.scheduledAt();
      if (record.outcome().done() || active.containsKey(key) || isQueuedHere(key)) {
        continue;
      }
      Optional<FiringClaim> claim = store.claim(schedule.name(), record.scheduled());
      if (claim.isEmpty()) {
        continue;
      }
      // Re-read under the claim: its holder may have settled it just before letting go.
      FiringRecord current = store.firing(schedule.name(), record.scheduled()).orElse(record);
      if (current.outcome().done()) {
        claim.get().close();
        continue;
      }
      if (current.pid() == 0 && current.lastLaunch().isPresent()
          && Duration.between(current.lastLaunch().get(), clock.instant()).compareTo(LAUNCH_SETTLE) < 0) {
        claim.get().close(); // a process just started may not show its command line yet: look again later
        continue;
      }
      ActiveFiring a = new ActiveFiring(schedule, claim.get(), current);
      if (current.retryTime().isPresent()) {
        active.put(key, a); // a pending publication between two completions: publications.startDue() goes on
        publications.tookOver(a);
      } else if (current.outcome() == FiringOutcome.QUEUED) {
        queued.computeIfAbsent(schedule.name(), n -> new ArrayDeque<>()).add(a);
        say(schedule, current.scheduled(), "took over queued firing", "its scheduler stopped");
      } else {
        Optional<LaunchedRun> run = launcher.reattach(schedule, current);
        if (run.isEmpty() && current.outcome() == FiringOutcome.PUBLICATION_PENDING) {
          // Its scheduler stopped between recording a completion and starting it: the run itself succeeded, so
          // the next completion follows the back-off (that one counts as tried), never a new run.
          active.put(key, a);
          publications.pending(a, "its scheduler stopped before starting completion " + current.publications());
        } else if (run.isEmpty()) {
          say(schedule, current.scheduled(), "took over firing", "its scheduler stopped before launching");
          launch(a, null);
        } else {
          a.run = run.get();
          if (current.pid() != a.run.pid()) {
            a.record = current.launched(a.run.pid()); // found by its firing: its scheduler died before saying
            store.saveFiring(a.record);
          }
          active.put(key, a);
          say(schedule, current.scheduled(), "took over run", "pid " + a.run.pid() + (current.runId() == null
              ? "" : ", run " + current.runId()) + ": its scheduler stopped");
        }
      }
    }
  }

  private boolean isQueuedHere(String key) {
    return queued.values().stream().anyMatch(q -> q.stream().anyMatch(a -> a.key().equals(key)));
  }

  private void pollRuns() {
    for (ActiveFiring a : new ArrayList<>(active.values())) {
      if (a.run == null) {
        continue;
      }
      a.run.runId().filter(id -> !id.equals(a.record.runId())).ifPresent(id -> {
        a.record = a.record.withRunId(id);
        store.saveFiring(a.record);
      });
      Optional<RunEnd> end = a.run.poll();
      if (end.isEmpty()) {
        continue;
      }
      a.record = a.record.withRunId(a.run.runId().orElse(a.record.runId()));
      switch (end.get().kind()) {
        case SUCCEEDED -> {
          if (a.record.outcome() == FiringOutcome.PUBLICATION_PENDING) {
            publications.completed(a, end.get());
          } else {
            settle(a, a.record.missed() ? FiringOutcome.MISSED_THEN_RUN : FiringOutcome.RAN,
                end.get().detail() + (a.record.missed() ? "; " + a.record.reason() : ""));
          }
          end.get().gate().filter(GateOutcome::promoted).ifPresent(gate -> publications.announce(a, gate));
        }
        case PUBLICATION_PENDING -> publications.pending(a, end.get().detail());
        case FAILED -> settle(a, FiringOutcome.FAILED, end.get().detail() + "; log: " + a.record.log());
        case INTERRUPTED -> interrupted(a, end.get().detail());
        default -> throw new IllegalStateException("unknown run end " + end.get());
      }
    }
  }

  private void interrupted(ActiveFiring a, String detail) {
    if (stopping) {
      say(a.schedule, a.record.scheduled(), "left resumable", detail);
      store.saveFiring(a.record);
      active.remove(a.key());
      a.claim.close();
    } else if (a.record.attempts() >= MAX_ATTEMPTS) {
      settle(a, FiringOutcome.FAILED, detail + "; gave up after " + a.record.attempts() + " attempts");
    } else {
      say(a.schedule, a.record.scheduled(), a.record.runId() == null ? "restarting" : "resuming", detail);
      launch(a, a.record.runId());
    }
  }

  private void settle(ActiveFiring a, FiringOutcome outcome, String reason) {
    a.record = a.record.ended(outcome, reason, clock.instant());
    store.saveFiring(a.record);
    active.remove(a.key());
    a.claim.close();
    say(a.schedule, a.record.scheduled(), outcome.label(), reason);
    if ((outcome == FiringOutcome.FAILED || outcome == FiringOutcome.PUBLICATION_FAILED)
        && a.schedule.webhook() != null) {
      post(a.schedule, new WebhookEvent(a.schedule.name(), a.schedule.experiment(), a.localTime(),
          a.record.runId(), outcome.label(), reason));
    }
  }

  private void post(ScheduleSpec schedule, WebhookEvent event) {
    webhooks = CompletableFuture.allOf(webhooks, notifier.send(URI.create(schedule.webhook()), event));
  }

  /** Completes once every webhook event sent so far was accepted or given up (never exceptionally). */
  synchronized CompletableFuture<Void> webhooksSent() {
    return webhooks;
  }

  private void fireDue(ScheduleSpec schedule, Instant now) {
    Instant horizon = schedule.since();
    for (FiringRecord record : store.firings(schedule.name())) {
      horizon = record.scheduled().isAfter(horizon) ? record.scheduled() : horizon;
    }
    List<Instant> due = schedule.schedule().between(horizon, now, MAX_MISSED);
    for (int i = 0; i < due.size(); i++) {
      Instant firing = due.get(i);
      boolean missed = Duration.between(firing, now).compareTo(GRACE) > 0;
      boolean latest = i == due.size() - 1;
      Optional<FiringClaim> claim = store.claim(schedule.name(), firing);
      if (claim.isEmpty()) {
        continue;
      }
      if (store.firing(schedule.name(), firing).isPresent()) {
        claim.get().close();
        continue;
      }
      String local = schedule.schedule().local(firing).toOffsetDateTime().toString();
      if (missed && (schedule.missed() == MissedPolicy.SKIP || !latest)) {
        String why = "no scheduler was running at " + local + "; " + (schedule.missed() == MissedPolicy.SKIP
            ? "--missed skip" : "--missed run-once runs only the latest missed firing ("
            + schedule.schedule().local(due.get(due.size() - 1)).toOffsetDateTime() + ")");
        record(schedule, claim.get(), FiringRecord.settled(schedule.name(), firing, FiringOutcome.MISSED_SKIPPED,
            why, now, true));
        continue;
      }
      FiringRecord record = new FiringRecord(schedule.name(), firing.toString(), FiringOutcome.RUNNING,
          missed ? "missed at " + local + " (no scheduler was running); run once at " + now : "on time",
          null, null, null, 0, 0, missed, null);
      FiringCondition condition = conditions.get(schedule.when());
      Optional<String> skip = condition == null
          ? Optional.of("unknown --when condition '" + schedule.when() + "'; known: " + conditions.keySet())
          : condition.skipReason(schedule, firing);
      if (skip.isPresent()) {
        record(schedule, claim.get(), record.ended(FiringOutcome.SKIPPED, skip.get(), now));
        continue;
      }
      Optional<FiringRecord> previous = runningFiring(schedule);
      ActiveFiring a = new ActiveFiring(schedule, claim.get(), record);
      if (previous.isPresent() && schedule.overlap() == OverlapPolicy.SKIP) {
        boolean publishing = previous.get().outcome() == FiringOutcome.PUBLICATION_PENDING;
        record(schedule, claim.get(), record.ended(FiringOutcome.SKIPPED_OVERLAP, (publishing ? "the publication "
            + "of " : "") + "the run of the firing at " + previous.get().scheduledAt() + (previous.get().runId()
            == null ? "" : " (" + previous.get().runId() + ")") + " was still " + (publishing ? "pending" : "running")
            + "; --overlap skip", now));
      } else if (previous.isPresent() || queued.containsKey(schedule.name())
          && !queued.get(schedule.name()).isEmpty()) {
        a.record = record.with(FiringOutcome.QUEUED, "waiting for the run of the firing at "
            + previous.map(FiringRecord::scheduledAt).orElse("before it") + "; --overlap queue");
        store.saveFiring(a.record);
        queued.computeIfAbsent(schedule.name(), n -> new ArrayDeque<>()).add(a);
        say(schedule, firing, "queued", a.record.reason());
      } else {
        launch(a, null);
      }
    }
  }

  private void startQueued(ScheduleSpec schedule) {
    Deque<ActiveFiring> waiting = queued.get(schedule.name());
    if (waiting == null || waiting.isEmpty() || runningFiring(schedule).isPresent()) {
      return;
    }
    ActiveFiring next = waiting.poll();
    next.record = next.record.with(FiringOutcome.RUNNING, "waited for the previous run (--overlap queue)");
    launch(next, null);
  }

  /** The schedule's firing whose run is going on (here or in another scheduler), if any. */
  private Optional<FiringRecord> runningFiring(ScheduleSpec schedule) {
    Optional<ActiveFiring> mine = active.values().stream()
        .filter(a -> a.schedule.name().equals(schedule.name())).findFirst();
    if (mine.isPresent()) {
      return Optional.of(mine.get().record);
    }
    return store.firings(schedule.name()).stream().filter(r -> r.outcome() == FiringOutcome.RUNNING
        || r.outcome() == FiringOutcome.PUBLICATION_PENDING).findFirst();
  }

  private void launch(ActiveFiring a, String resumeRunId) {
    Path log = store.logFile(a.schedule.name(), a.record.scheduled());
    a.record = a.record.launching(resumeRunId, log.toString(), clock.instant());
    active.put(a.key(), a);
    store.saveFiring(a.record);
    try {
      Instant firing = a.record.scheduled();
      a.run = resumeRunId == null ? launcher.start(a.schedule, firing, log)
          : launcher.resume(a.schedule, firing, resumeRunId, log);
      a.record = a.record.launched(a.run.pid());
      store.saveFiring(a.record);
      say(a.schedule, a.record.scheduled(), resumeRunId == null ? "started" : "resumed", "pid " + a.run.pid()
          + (resumeRunId == null ? "" : ", run " + resumeRunId) + ", attempt " + a.record.attempts() + "; "
          + a.record.reason());
    } catch (IOException | RuntimeException e) {
      settle(a, FiringOutcome.FAILED, "could not start the run: " + e);
    }
  }

  private void record(ScheduleSpec schedule, FiringClaim claim, FiringRecord record) {
    store.saveFiring(record);
    claim.close();
    say(schedule, record.scheduled(), record.outcome().label(), record.reason());
  }

  private void say(ScheduleSpec schedule, Instant firing, String decision, String why) {
    log.accept(clock.instant() + " " + schedule.name() + " firing "
        + schedule.schedule().local(firing).toOffsetDateTime() + ": " + decision + " (" + why + ")");
  }
}
