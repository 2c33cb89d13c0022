package dev.tessera.pipelines.exec;

/** The status of a whole run. */
public enum RunOutcome {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED
}
