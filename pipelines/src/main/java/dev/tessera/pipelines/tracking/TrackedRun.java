package dev.tessera.pipelines.tracking;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** One tracked run. Thread-safe: stages running concurrently log to the same run. */
public interface TrackedRun {

  /** The tracker's id of this run (MLflow: 32 hex characters). */
  String id();

  /** Params are immutable once logged; logging the same value again is fine. */
  void logParams(Map<String, String> params);

  /** Tags are last-write-wins. */
  void setTags(Map<String, String> tags);

  /** Appends one point to a metric's history. */
  void logMetric(String key, double value, long step, long timestampMillis);

  /** Copies a file or a directory tree into the run's artifacts at {@code artifactPath} (a relative path). */
  void logArtifact(Path source, String artifactPath);

  /**
   * Starts a nested child run (a sweep trial) in the same experiment, tagged {@code mlflow.parentRunId} = this
   * run's id so that the MLflow UI groups it under this run. End it like any run.
   *
   * @param runName the child's display name ({@code mlflow.runName})
   * @param tags tags to set at creation, in addition to the parent link
   */
  TrackedRun startChild(String runName, Map<String, String> tags);

  /**
   * Reopens a child run of this run started earlier (a sweep trial, for {@code tessera resume} of the sweep): its
   * status goes back to {@code RUNNING}, and what it logged stays. Empty when the tracker no longer has the run, or
   * cannot reopen runs (the default).
   *
   * @param childRunId the id {@link #startChild} gave the child
   */
  default Optional<TrackedRun> reopenChild(String childRunId) {
    return Optional.empty();
  }

  /** Ends the run with a terminal status. */
  void end(RunStatus status);
}
