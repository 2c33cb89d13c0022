package dev.tessera.runners.cli.schedule;

import java.io.IOException;
import java.nio.file.Path;

/** Starts the runs of firings; {@link ChildProcessLauncher} is the real one. */
public interface Launcher {
  /** Starts a fresh run of the schedule's experiment; its output goes to {@code log}. */
  LaunchedRun start(ScheduleSpec schedule, Path log) throws IOException;

  /** Continues an interrupted run ({@code tessera resume <run-id>} semantics). */
  LaunchedRun resume(ScheduleSpec schedule, String runId, Path log) throws IOException;

  /** Watches a run that a scheduler now dead started; it may have ended already. */
  LaunchedRun reattach(ScheduleSpec schedule, FiringRecord record);
}
