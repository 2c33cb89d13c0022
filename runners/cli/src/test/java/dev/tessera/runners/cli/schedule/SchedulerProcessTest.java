package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.runners.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real scheduler processes on real time, running the {@code demo} experiment as real child processes: two
 * schedulers share one home, the one that started the run is killed with SIGKILL together with its run, and the
 * other resumes that run; or only the scheduler is killed, and a restarted one waits for the run. Each firing
 * runs exactly once.
 */
class SchedulerProcessTest {
  @TempDir Path home;
  private final List<Process> started = new ArrayList<>();
  private final List<Long> children = new ArrayList<>();

  @AfterEach
  void stopAll() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    children.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  private Map<String, String> environment() {
    return Map.of("TESSERA_HOME", home.toString(), "MLFLOW_TRACKING_URI", home.resolve("mlruns").toString());
  }

  private Process scheduler(String name) throws IOException {
    return scheduler(name, 0);
  }

  private Process scheduler(String name, int stopGraceSeconds, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("scheduler", "--poll", "200", "--stop-grace",
        Integer.toString(stopGraceSeconds)));
    args.addAll(List.of(more));
    ProcessBuilder builder = new ProcessBuilder(ChildProcessLauncher.javaCommand(args))
        .redirectErrorStream(true).redirectOutput(home.resolve(name + ".log").toFile());
    builder.environment().putAll(environment());
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private String log(String name) {
    try {
      return Files.readString(home.resolve(name + ".log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits for a condition of other processes (no fixed sleep: it returns as soon as the condition holds). */
  private <T> T await(String what, Supplier<Optional<T>> condition, long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Optional<T> value = condition.get();
      if (value.isPresent()) {
        return value.get();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    StringBuilder logs = new StringBuilder();
    for (String name : List.of("a", "b", "restart")) {
      logs.append("\n").append(name).append(".log:\n").append(log(name));
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what + logs);
  }

  /**
   * Adds schedule {@code soon}: a seconds-field cron (the extension) that fires once, 3 s from now. Added once
   * the schedulers run (they reread schedules at every poll), so a slow JVM start cannot make the firing late.
   */
  private void addSoonSchedule() {
    Instant now = Instant.now();
    ZonedDateTime at = now.plusSeconds(3).atZone(ZoneOffset.UTC);
    String cron = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " " + at.getDayOfMonth() + " "
        + at.getMonthValue() + " *";
    new ScheduleStore(home).save(new ScheduleSpec("soon", "demo", cron, "UTC", List.of(), null, null,
        OverlapPolicy.SKIP, MissedPolicy.RUN_ONCE, null, false, now.toString()));
  }

  private void awaitStarted(String name) {
    await("scheduler " + name + " to start", () -> Optional.of(log(name))
        .filter(l -> l.contains("scheduler started")), 120);
  }

  @Test
  void firingOnRealTimeSurvivesSigkillOfItsSchedulerAndRunsExactlyOnce() throws Exception {
    Process a = scheduler("a");
    Process b = scheduler("b");
    awaitStarted("a");
    awaitStarted("b");
    addSoonSchedule();

    // Whichever scheduler claimed the firing: wait until its run is recorded and running, then kill it and its run.
    RunStore runs = new RunStore(home);
    RunRecord running = await("the demo run to start", () -> runs.list("demo").stream()
        .filter(r -> r.status == RunOutcome.RUNNING).findFirst(), 120);
    Process holder = log("a").contains(": started (pid") ? a : b;
    Process other = holder == a ? b : a;
    ProcessHandle.of(running.pid).ifPresent(ProcessHandle::destroyForcibly);
    holder.destroyForcibly();
    assertTrue(holder.waitFor(60, TimeUnit.SECONDS));

    ScheduleStore store = new ScheduleStore(home);
    FiringRecord done = await("the other scheduler to finish the firing", () -> store.firings("soon").stream()
        .filter(r -> r.outcome().done()).findFirst(), 180);
    String logs = "a:\n" + log("a") + "\nb:\n" + log("b");
    assertEquals(FiringOutcome.RAN, done.outcome(), logs);
    assertEquals(running.runId, done.runId(), logs);
    assertEquals(2, done.attempts(), logs);
    assertEquals(1, store.firings("soon").size(), logs);
    List<RunRecord> all = runs.list("demo");
    assertEquals(1, all.size(), "exactly one run for the firing\n" + logs);
    assertEquals(RunOutcome.SUCCEEDED, all.get(0).status, logs);
    String otherLog = other == a ? log("a") : log("b");
    assertTrue(otherLog.contains("took over run") && otherLog.contains("resumed (pid"), logs);

    other.destroy(); // SIGTERM: a clean stop
    assertTrue(other.waitFor(60, TimeUnit.SECONDS));
    // A JVM stopped by SIGTERM exits with 128 + 15 once its shutdown hooks (the clean stop) have run.
    assertEquals(143, other.exitValue(), logs);
    String stopped = other == a ? log("a") : log("b");
    assertTrue(stopped.contains("stopping: starting nothing new") && stopped.contains("scheduler stopped"), stopped);
  }

  @Test
  void restartAfterSigkillWaitsForTheRunThatOutlivedItsScheduler() throws Exception {
    Process a = scheduler("a");
    awaitStarted("a");
    addSoonSchedule();
    RunStore runs = new RunStore(home);
    RunRecord running = await("the demo run to start", () -> runs.list("demo").stream()
        .filter(r -> r.status == RunOutcome.RUNNING).findFirst(), 120);
    a.destroyForcibly(); // SIGKILL the scheduler only: its run goes on, recording its own state
    assertTrue(a.waitFor(60, TimeUnit.SECONDS));
    assertTrue(ProcessHandle.of(running.pid).map(ProcessHandle::isAlive).orElse(false), "the run outlived a");

    scheduler("restart");
    ScheduleStore store = new ScheduleStore(home);
    FiringRecord done = await("the restarted scheduler to settle the firing", () -> store.firings("soon").stream()
        .filter(r -> r.outcome().done()).findFirst(), 180);
    String logs = "a:\n" + log("a") + "\nrestart:\n" + log("restart");
    assertEquals(FiringOutcome.RAN, done.outcome(), logs);
    assertEquals(1, done.attempts(), "waited for, not started again\n" + logs);
    assertEquals(running.runId, done.runId(), logs);
    assertEquals(1, runs.list("demo").size(), "exactly one run for the firing\n" + logs);
    assertTrue(log("restart").contains("took over run (pid " + running.pid), logs);
    StringWriter history = new StringWriter();
    assertEquals(0, Main.run(new String[] {"schedule", "history", "soon"}, environment(), new PrintWriter(history),
        new PrintWriter(new StringWriter())));
    String[] lines = history.toString().split("\n");
    assertTrue(lines[0].startsWith("SCHEDULED") && lines[1].contains(" " + running.runId + " ")
        && lines[1].contains(" ran "), history.toString());
  }

  @Test
  void sigtermLetsTheRunningRunFinishAndRecordsIt() throws Exception {
    Path tracked = home.resolve("tracked");
    Process scheduler = scheduler("a", 300, "--tracking-uri", tracked.toString());
    awaitStarted("a");
    addSoonSchedule();
    RunStore runs = new RunStore(home);
    RunRecord running = await("the demo run to start", () -> runs.list("demo").stream()
        .filter(r -> r.status == RunOutcome.RUNNING).findFirst(), 120);
    scheduler.destroy(); // SIGTERM to the scheduler alone, as 'kill <pid>' sends it
    assertTrue(scheduler.waitFor(300, TimeUnit.SECONDS));
    String log = log("a");
    assertEquals(143, scheduler.exitValue(), log);
    FiringRecord done = new ScheduleStore(home).firings("soon").get(0);
    assertEquals(FiringOutcome.RAN, done.outcome(), log);
    assertEquals(running.runId, done.runId(), log);
    RunRecord run = runs.load(running.runId).orElseThrow();
    assertEquals(RunOutcome.SUCCEEDED, run.status, log);
    assertEquals(tracked.toString(), run.trackerLocation, "the scheduler's --tracking-uri reaches its runs");
    int stopping = log.indexOf("stopping: starting nothing new; waiting up to 300 s for 1 run(s)");
    assertTrue(stopping >= 0 && stopping < log.indexOf(": ran (") && log.indexOf(": ran (")
        < log.indexOf("scheduler stopped"), log);
  }

  @Test
  void takeoverFindsTheRunOfAFiringWhosePidWasNeverRecorded() throws Exception {
    // The window between writing a firing's record and recording its child's pid: the scheduler died there.
    Instant firing = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // The orphan outlives the takeover's 10 s wait, so the takeover finds it alive by its command line.
    ScheduleSpec schedule = new ScheduleSpec("window", "demo", "0 0 1 1 *", "UTC",
        List.of("numbers.millisPerItem=250"), null, null, OverlapPolicy.SKIP, MissedPolicy.RUN_ONCE, null, false,
        firing.minusSeconds(60).toString());
    ScheduleStore store = new ScheduleStore(home);
    store.save(schedule);
    store.saveFiring(new FiringRecord("window", firing.toString(), FiringOutcome.RUNNING, "on time",
        firing.toString(), null, null, 0, 1, false, null));
    ChildProcessLauncher launcher = new ChildProcessLauncher(home, environment());
    LaunchedRun orphan = launcher.start(schedule, firing, home.resolve("orphan.log"));
    children.add(orphan.pid());

    List<String> decisions = new CopyOnWriteArrayList<>();
    Scheduler scheduler = new Scheduler(store, launcher, Clock.systemUTC(),
        Map.of(FiringCondition.ALWAYS, (s, t) -> Optional.empty()), new WebhookNotifier());
    scheduler.logTo(decisions::add);
    FiringRecord done = await("the takeover to settle the firing", () -> {
      scheduler.tick();
      return store.firing("window", firing).filter(r -> r.outcome().done());
    }, 180);
    assertEquals(FiringOutcome.RAN, done.outcome(), String.join("\n", decisions));
    assertEquals(orphan.pid(), done.pid(), "waited for the unrecorded child, did not start another\n"
        + String.join("\n", decisions));
    assertEquals(1, done.attempts(), String.join("\n", decisions));
    assertEquals(1, new RunStore(home).list("demo").size(), String.join("\n", decisions));
  }

  @Test
  void takeoverFindsTheRunOfAnUnrecordedFiringWhoseProcessAlreadyEnded() throws Exception {
    // The scheduler died before recording its child's pid, and the child finished before any scheduler looked: no
    // process carries the firing's marker any more, but the run it recorded does.
    Instant firing = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    ScheduleSpec schedule = new ScheduleSpec("ended", "demo", "0 0 1 1 *", "UTC", List.of(), null, null,
        OverlapPolicy.SKIP, MissedPolicy.RUN_ONCE, null, false, firing.minusSeconds(60).toString());
    ScheduleStore store = new ScheduleStore(home);
    store.save(schedule);
    store.saveFiring(new FiringRecord("ended", firing.toString(), FiringOutcome.RUNNING, "on time",
        firing.minusSeconds(60).toString(), null, null, 0, 1, false, null));
    ChildProcessLauncher launcher = new ChildProcessLauncher(home, environment());
    LaunchedRun orphan = launcher.start(schedule, firing, home.resolve("orphan.log"));
    children.add(orphan.pid());
    await("the orphan to end", () -> orphan.poll(), 180);
    RunRecord run = new RunStore(home).list("demo").get(0);
    assertEquals("ended@" + firing, run.firing, "the run records the firing that started it");

    List<String> decisions = new CopyOnWriteArrayList<>();
    Scheduler scheduler = new Scheduler(store, launcher, Clock.systemUTC(),
        Map.of(FiringCondition.ALWAYS, (s, t) -> Optional.empty()), new WebhookNotifier());
    scheduler.logTo(decisions::add);
    scheduler.tick();
    FiringRecord done = store.firing("ended", firing).orElseThrow();
    assertEquals(FiringOutcome.RAN, done.outcome(), String.join("\n", decisions));
    assertEquals(run.runId, done.runId(), String.join("\n", decisions));
    assertEquals(1, done.attempts(), String.join("\n", decisions));
    assertEquals(1, new RunStore(home).list("demo").size(), "no second run for the firing\n"
        + String.join("\n", decisions));
  }
}
