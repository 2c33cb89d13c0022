package dev.tessera.pipelines.exec;

/** Where a stage is in a run. */
public enum StageStatus {
  /** Not started yet. */
  PENDING,
  /** Running now (or was, when the process died: resume runs it again). */
  RUNNING,
  /** Waiting to retry after a retryable failure. */
  RETRYING,
  /** Ran and published its artifact. */
  SUCCEEDED,
  /** Its artifact came from the cache. */
  CACHED,
  /** Failed; the run fails. */
  FAILED,
  /** Not run because a stage it depends on failed or was cancelled. */
  SKIPPED,
  /** Stopped by Ctrl-C. */
  CANCELLED;

  /** True when the stage's artifact exists: succeeded or served from cache. */
  public boolean done() {
    return this == SUCCEEDED || this == CACHED;
  }
}
