package dev.tessera.runners.cli.schedule;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Starts the runs of firings; {@link ChildProcessLauncher} is the real one. */
public interface Launcher {
  /** Starts a fresh run of the schedule's experiment for the firing at {@code firing}; output goes to {@code log}. */
  LaunchedRun start(ScheduleSpec schedule, Instant firing, Path log) throws IOException;

  /** Continues an interrupted run ({@code tessera resume <run-id>} semantics). */
  LaunchedRun resume(ScheduleSpec schedule, Instant firing, String runId, Path log) throws IOException;

  /**
   * Completes the model registration/promotion that a succeeded run left pending ({@code tessera resume <run-id>}
   * with the options the run recorded in its {@code publication-pending.json}).
   */
  LaunchedRun complete(ScheduleSpec schedule, Instant firing, String runId, Path log) throws IOException;

  /**
   * Watches the run of a firing whose scheduler died; the run may have ended already. Empty when no process was
   * ever started for it (the scheduler died between writing the firing's record and launching).
   */
  Optional<LaunchedRun> reattach(ScheduleSpec schedule, FiringRecord record);
}
