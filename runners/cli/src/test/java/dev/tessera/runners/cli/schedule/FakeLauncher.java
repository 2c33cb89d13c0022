package dev.tessera.runners.cli.schedule;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * A stand-in for {@link ChildProcessLauncher} whose "processes" end on the simulated clock. A month of nightly
 * runs as real JVMs would take a month; this replays it in seconds (the real launcher has its own test). Launchers
 * of several simulated schedulers share one process table, as processes share one machine.
 */
final class FakeLauncher implements Launcher {
  /**
   * How a run launched at some instant goes: how long it takes, whether it succeeds, what its gate decides, and
   * whether its publication is left pending (then {@link #complete} finishes it once {@link #serverUp} is true).
   */
  record Plan(Duration duration, boolean succeeds, Optional<GateOutcome> gate, boolean pending) {
    Plan(Duration duration, boolean succeeds) {
      this(duration, succeeds, Optional.empty(), false);
    }

    Plan(Duration duration, boolean succeeds, Optional<GateOutcome> gate) {
      this(duration, succeeds, gate, false);
    }
  }

  /** One simulated process. */
  static final class FakeRun implements LaunchedRun {
    final long pid;
    final String runId;
    final String schedule;
    final Instant start;
    final Plan plan;
    final boolean resumed;
    final Clock clock;
    volatile boolean killed;

    FakeRun(long pid, String runId, String schedule, Instant start, Plan plan, boolean resumed, Clock clock) {
      this.pid = pid;
      this.runId = runId;
      this.schedule = schedule;
      this.start = start;
      this.plan = plan;
      this.resumed = resumed;
      this.clock = clock;
    }

    Instant end() {
      return start.plus(plan.duration());
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public Optional<String> runId() {
      return Optional.of(runId);
    }

    @Override
    public Optional<RunEnd> poll() {
      if (killed) {
        return Optional.of(new RunEnd(RunEnd.Kind.INTERRUPTED, "run " + runId + " killed"));
      }
      if (clock.instant().isBefore(end())) {
        return Optional.empty();
      }
      if (plan.pending()) {
        return Optional.of(new RunEnd(RunEnd.Kind.PUBLICATION_PENDING, "run " + runId + " succeeded; its "
            + "publication is pending: MLflow server away"));
      }
      return Optional.of(plan.succeeds() ? new RunEnd(RunEnd.Kind.SUCCEEDED, "run " + runId + " succeeded", plan.gate())
          : new RunEnd(RunEnd.Kind.FAILED, "run " + runId + " failed"));
    }
  }

  private final Clock clock;
  private final Map<Long, FakeRun> processes;
  private final BiFunction<String, Instant, Plan> plans;
  final List<FakeRun> mine = new ArrayList<>();
  /** Whether a completion of a pending publication finds the MLflow server (read when it is launched). */
  volatile boolean serverUp;
  /** What the gate decides when a completion gets through. */
  volatile Optional<GateOutcome> completedGate = Optional.empty();
  /** The run ids whose publication {@link #complete} was asked to complete, in order. */
  final List<String> completions = new ArrayList<>();

  FakeLauncher(Clock clock, Map<Long, FakeRun> processes, BiFunction<String, Instant, Plan> plans) {
    this.clock = clock;
    this.processes = processes;
    this.plans = plans;
  }

  static Map<Long, FakeRun> processTable() {
    return new ConcurrentHashMap<>();
  }

  @Override
  public LaunchedRun start(ScheduleSpec schedule, Instant firing, Path log) {
    return add(schedule.name(), "run-" + (processes.size() + 1), plans.apply(schedule.name(), clock.instant()),
        false);
  }

  @Override
  public LaunchedRun resume(ScheduleSpec schedule, Instant firing, String runId, Path log) {
    return add(schedule.name(), runId, new Plan(Duration.ofMinutes(10), true), true);
  }

  @Override
  public LaunchedRun complete(ScheduleSpec schedule, Instant firing, String runId, Path log) {
    completions.add(runId);
    return add(schedule.name(), runId, new Plan(Duration.ofMinutes(1), true, completedGate, !serverUp), true);
  }

  @Override
  public Optional<LaunchedRun> reattach(ScheduleSpec schedule, FiringRecord record) {
    return Optional.ofNullable(processes.get(record.pid()));
  }

  /** Kills the processes this launcher started (a crash of the scheduler and its children). */
  void killAll() {
    mine.stream().filter(r -> clock.instant().isBefore(r.end())).forEach(r -> r.killed = true);
  }

  private FakeRun add(String schedule, String runId, Plan plan, boolean resumed) {
    FakeRun run = new FakeRun(processes.size() + 1000, runId, schedule, clock.instant(), plan, resumed, clock);
    processes.put(run.pid, run);
    mine.add(run);
    return run;
  }
}
