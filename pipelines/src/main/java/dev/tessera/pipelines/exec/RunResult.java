package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.artifact.Artifact;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a finished run returns.
 *
 * @param run the final persisted state
 * @param artifacts stage name → artifact, for every stage that succeeded or came from the cache
 * @param runDirectory where {@code run.json} and {@code spec.json} are
 */
public record RunResult(RunRecord run, Map<String, Artifact> artifacts, Path runDirectory) {

  public String runId() {
    return run.runId;
  }

  public RunOutcome status() {
    return run.status;
  }

  /** A stage's summary figure, such as {@code summary("evaluate", "accuracy")}. */
  public Double summary(String stage, String name) {
    StageRecord record = run.stages.get(stage);
    return record == null ? null : record.summary.get(name);
  }
}
