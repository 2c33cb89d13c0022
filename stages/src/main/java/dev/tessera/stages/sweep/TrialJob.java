package dev.tessera.stages.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Manifest;
import java.nio.file.Path;
import java.util.Map;

/**
 * One sweep job as a Beam element: everything a worker needs to train and evaluate a trial without the driver's
 * objects, as JSON text (every runner encodes a string the same way).
 *
 * @param index the trial's number
 * @param values the trial's settings, path to value text
 * @param rung the successive-halving rung this job trains to
 * @param epochs the epochs to train to (0: the train spec's own)
 * @param childRunId the trial's child run, opened by the driver; the worker only records what to log there
 * @param runId the Tessera run id
 * @param stageName the sweep stage's name
 * @param seed the experiment seed
 * @param attempt the sweep stage's attempt
 * @param objective the evaluate figure to optimize
 * @param datasetKey the input dataset artifact's key
 * @param datasetDirectory the input dataset artifact's folder, as the workers see it
 * @param datasetManifest the input dataset artifact's manifest (its digest keys the trial's checkpoints)
 * @param trialsRoot the sweep's folder of trial folders, as the workers see it
 * @param trainSpec the wrapped train stage's spec as JSON, before the trial's overrides
 * @param evaluateSpec the wrapped evaluate stage's spec as JSON, before the trial's overrides
 * @param outcomeFile where the worker writes its {@link TrialOutcome}, as JSON
 */
record TrialJob(int index, Map<String, String> values, int rung, int epochs, String childRunId, String runId,
    String stageName, long seed, int attempt, String objective, String datasetKey, String datasetDirectory,
    Manifest datasetManifest, String trialsRoot, String trainSpec, String evaluateSpec, String outcomeFile) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The job as {@link TrialRunner} takes it. */
  TrialRunner.Job job() {
    return new TrialRunner.Job(index, new Trial(values), rung, epochs);
  }

  /** The input dataset as an artifact of the worker's file system. */
  Artifact dataset() {
    return new Artifact(datasetKey, Path.of(datasetDirectory), datasetManifest);
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write sweep job " + index + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  static TrialJob fromJson(String json) {
    try {
      return JSON.readValue(json, TrialJob.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a sweep worker got a job it cannot read (" + e.getOriginalMessage()
          + "); driver and workers must run the same Tessera version", e);
    }
  }
}
