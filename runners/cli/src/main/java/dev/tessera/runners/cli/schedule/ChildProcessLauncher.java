package dev.tessera.runners.cli.schedule;

import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.runners.cli.PendingPublication;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs each firing as a child process of the same Java command: the same {@code java} binary, JVM flags and class
 * path as this process, running {@code dev.tessera.runners.cli.Main run <experiment> ...}. A scheduler that
 * crashes does not take the run's bookkeeping with it (the child keeps writing its {@code run.json}), and a child
 * that is killed is seen as a process that ended with its run unfinished.
 *
 * <p>The child's run id is found by its pid in the run store (the run records the pid of its process), so the
 * run command needs no extra option. Each child carries {@code -Dtessera.firing=<schedule>@<time>} on its command
 * line, so a scheduler taking over finds it by its firing; the run records that firing too
 * ({@link RunRecord#firing}), so a child that ended before the takeover is found in the run store. Debugger and
 * agent flags are not passed on (a child would fight over the debug port).
 */
public final class ChildProcessLauncher implements Launcher {
  private static final String MAIN = "dev.tessera.runners.cli.Main";
  private final Path home;
  private final Map<String, String> environment;
  private volatile String trackingUri;

  @Inject
  public ChildProcessLauncher(@Named("tessera.home") Path home, @Named("environment") Map<String, String> env) {
    this.home = home;
    this.environment = env;
  }

  /** Runs track to this URI ({@code tessera scheduler --tracking-uri}) instead of the inherited environment's. */
  public void forwardTrackingUri(String uri) {
    this.trackingUri = uri;
  }

  @Override
  public LaunchedRun start(ScheduleSpec schedule, Instant firing, Path log) throws IOException {
    return launch(schedule, firing, schedule.runArgs(), log, null);
  }

  @Override
  public LaunchedRun resume(ScheduleSpec schedule, Instant firing, String runId, Path log) throws IOException {
    List<String> args = new ArrayList<>(List.of("resume", runId, "--plain"));
    if (schedule.promoteIf() != null) {
      args.addAll(List.of("--promote-if", schedule.promoteIf()));
    }
    return launch(schedule, firing, args, log, runId);
  }

  /**
   * {@code tessera resume <run-id> --plain} without the schedule's {@code --promote-if}: the pending marker keeps
   * the options the run was given, which the completion uses even if the schedule changed since.
   */
  @Override
  public LaunchedRun complete(ScheduleSpec schedule, Instant firing, String runId, Path log) throws IOException {
    return launch(schedule, firing, List.of("resume", runId, "--plain"), log, runId);
  }

  @Override
  public Optional<LaunchedRun> reattach(ScheduleSpec schedule, FiringRecord record) {
    String marker = marker(schedule.name(), record.scheduled());
    // The firing's process carries its marker on its command line: that finds it even when its scheduler died
    // before recording its pid, and tells it from another program that got the same pid again later.
    // The marker is the first flag, within the part of a long command line that the OS reports.
    String token = " " + marker + " ";
    Optional<ProcessHandle> process = record.pid() != 0
        ? ProcessHandle.of(record.pid()).filter(p -> p.info().commandLine().map(c -> c.contains(token)).orElse(true))
        : ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().map(c -> c.contains(token)).orElse(false)).findFirst();
    if (record.pid() == 0 && process.isEmpty()) {
      // Its process may have ended already: the run it recorded carries the firing (RunRecord.firing).
      return recordedRun(schedule, record.scheduled()).map(run -> new Child(schedule.experiment(), null, run.pid,
          run.runId, Instant.ofEpochMilli(run.createdAtMillis), null));
    }
    Instant launched = process.flatMap(p -> p.info().startInstant()).or(() -> Optional.ofNullable(
        record.startedAt()).map(Instant::parse)).orElse(Instant.EPOCH);
    long pid = process.map(ProcessHandle::pid).orElse(record.pid());
    return Optional.of(new Child(schedule.experiment(), process.orElse(null), pid, record.runId(), launched, null));
  }

  /** The JVM flag that marks a child as the run of one firing. */
  static String marker(String schedule, Instant firing) {
    return "-D" + RunRecord.FIRING_TAG + "=" + firingId(schedule, firing);
  }

  /** A firing's id, as its run records it ({@link RunRecord#firing}). */
  static String firingId(String schedule, Instant firing) {
    return schedule + "@" + firing;
  }

  /** The run the firing's child recorded in the run store, if it got that far. */
  private Optional<RunRecord> recordedRun(ScheduleSpec schedule, Instant firing) {
    String id = firingId(schedule.name(), firing);
    return runsOf(schedule.experiment()).stream().filter(r -> id.equals(r.firing)).findFirst();
  }

  /**
   * The runs of a schedule's experiment, newest first: by name, or for an experiment file by its path (such a run
   * records the experiment's name, which is not the file's).
   */
  private List<RunRecord> runsOf(String experiment) {
    return new RunStore(home).list(null).stream()
        .filter(r -> experiment.equals(r.experiment) || experiment.equals(r.experimentFile)).toList();
  }

  /** The command line of a child: this JVM's java binary, flags and class path, then {@code Main args}. */
  static List<String> javaCommand(List<String> args) {
    return javaCommand(List.of(), args);
  }

  private static List<String> javaCommand(List<String> extraFlags, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(extraFlags);
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!flag.startsWith("-agentlib:") && !flag.startsWith("-javaagent:") && !flag.startsWith("-Xrunjdwp")) {
        command.add(flag);
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
    command.addAll(args);
    return command;
  }

  private LaunchedRun launch(ScheduleSpec schedule, Instant firing, List<String> args, Path log, String runId)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(javaCommand(List.of(marker(schedule.name(), firing)), args))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(environment);
    builder.environment().put("TESSERA_HOME", home.toString());
    if (trackingUri != null) {
      builder.environment().put("MLFLOW_TRACKING_URI", trackingUri);
    }
    Instant launched = Instant.now();
    Process process = builder.start();
    return new Child(schedule.experiment(), process.toHandle(), process.pid(), runId, launched, process);
  }

  /** A child process (ours, or one a dead scheduler started), judged by its exit code and its run.json. */
  private final class Child implements LaunchedRun {
    private final String experiment;
    private final ProcessHandle handle;
    private final long pid;
    private final Instant launched;
    private final Process process;
    private String runId;

    Child(String experiment, ProcessHandle handle, long pid, String runId, Instant launched, Process process) {
      this.experiment = experiment;
      this.handle = handle;
      this.pid = pid;
      this.runId = runId;
      this.launched = launched;
      this.process = process;
    }

    @Override
    public long pid() {
      return pid;
    }

    @Override
    public Optional<String> runId() {
      if (runId == null && pid != 0) {
        // The newest run recorded by this pid since the launch (pids are reused, so the time matters too).
        runId = runsOf(experiment).stream()
            .filter(r -> r.pid == pid && r.createdAtMillis >= launched.toEpochMilli() - 60_000)
            .map(r -> r.runId).findFirst().orElse(null);
      }
      return Optional.ofNullable(runId);
    }

    @Override
    public Optional<RunEnd> poll() {
      if (handle != null && handle.isAlive()) {
        return Optional.empty();
      }
      Integer exit = process == null ? null : process.exitValue();
      String code = exit == null ? "process " + pid + " gone" : "exit " + exit;
      Optional<RunRecord> run = runId().flatMap(id -> new RunStore(home).load(id));
      if (run.isEmpty()) {
        // No run.json: the child died before creating its run, or failed before (say, a bad --set).
        return Optional.of(exit != null && exit == 2
            ? new RunEnd(RunEnd.Kind.FAILED, "the run did not start (" + code + ", a usage error)")
            : new RunEnd(RunEnd.Kind.INTERRUPTED, "the process ended before its run started (" + code + ")"));
      }
      RunOutcome status = run.get().status;
      return Optional.of(switch (status) {
        case SUCCEEDED -> succeeded(new RunStore(home).directory(runId), code);
        case FAILED -> new RunEnd(RunEnd.Kind.FAILED, "run " + runId + " failed (" + code + ")");
        default -> new RunEnd(RunEnd.Kind.INTERRUPTED, "run " + runId + " was left "
            + status.name().toLowerCase(Locale.ROOT) + " when its process ended (" + code + ")");
      });
    }

    /** A succeeded run: its gate's decision, or its publication still pending (the marker says why). */
    private RunEnd succeeded(Path runDirectory, String code) {
      Optional<PendingPublication> pending = PendingPublication.read(runDirectory);
      if (pending.isPresent()) {
        return new RunEnd(RunEnd.Kind.PUBLICATION_PENDING, "run " + runId + " succeeded (" + code + "), but the "
            + pending.get().describe() + " of its model is pending: " + pending.get().problem());
      }
      return new RunEnd(RunEnd.Kind.SUCCEEDED, "run " + runId + " succeeded (" + code + ")",
          GateOutcome.read(runDirectory));
    }
  }
}
