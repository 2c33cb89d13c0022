package dev.tessera.runners.cli.schedule;

import java.util.Optional;

/** A run the scheduler started (or took over from a scheduler that died), watched without blocking. */
public interface LaunchedRun {
  /** The process running it. */
  long pid();

  /** The Tessera run id, once the run has recorded it. */
  Optional<String> runId();

  /** Empty while it runs; how it ended once it has. Never blocks. */
  Optional<RunEnd> poll();
}
