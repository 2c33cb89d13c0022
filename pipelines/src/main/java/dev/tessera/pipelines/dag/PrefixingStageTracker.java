package dev.tessera.pipelines.dag;

import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link StageContext.StageTracker} of one stage over one tracked run: metric keys and artifact paths become
 * {@code stage/key}, params {@code stage.key}; tags pass unchanged. The executor gives every stage one over the
 * experiment run; a sweep gives the stages of a trial one over the trial's child run, where starting trials of
 * their own is refused.
 *
 * <pre>{@code
 * StageTracker tracker = PrefixingStageTracker.forStage(run, "train", runId);
 * tracker.logMetric("loss", 0.4, 10);   // train/loss at step 10
 * }</pre>
 */
public final class PrefixingStageTracker implements StageContext.StageTracker {
  private final TrackedRun run;
  private final String stageName;
  /** The Tessera run id that trials are tagged with; null where trials are refused. */
  private final String runId;

  private PrefixingStageTracker(TrackedRun run, String stageName, String runId) {
    if (run == null || stageName == null || stageName.isBlank()) {
      throw new IllegalArgumentException("a stage tracker needs a tracked run and a stage name, but got run=" + run
          + ", stageName='" + stageName + "'");
    }
    this.run = run;
    this.stageName = stageName;
    this.runId = runId;
  }

  /** A stage of Tessera run {@code runId} logging into {@code run}; its trials are child runs of {@code run}. */
  public static PrefixingStageTracker forStage(TrackedRun run, String stageName, String runId) {
    return new PrefixingStageTracker(run, stageName, runId);
  }

  /** A stage running inside a sweep trial, logging into the trial's run; it cannot start trials itself. */
  public static PrefixingStageTracker insideTrial(TrackedRun trial, String stageName) {
    return new PrefixingStageTracker(trial, stageName, null);
  }

  @Override
  public void logMetric(String key, double value, long step) {
    run.logMetric(stageName + "/" + key, value, step, System.currentTimeMillis());
  }

  @Override
  public void logArtifact(Path source, String relativePath) {
    run.logArtifact(source, stageName + "/" + relativePath);
  }

  @Override
  public void logParams(Map<String, String> params) {
    Map<String, String> prefixed = new LinkedHashMap<>();
    params.forEach((k, v) -> prefixed.put(stageName + "." + k, v));
    run.logParams(prefixed);
  }

  @Override
  public void setTags(Map<String, String> tags) {
    run.setTags(tags);
  }

  @Override
  public TrackedRun startTrial(String name, Map<String, String> params) {
    if (runId == null) {
      throw new UnsupportedOperationException("stage '" + stageName + "' runs inside a sweep trial and cannot "
          + "start trials of its own; nest sweeps as separate stages instead");
    }
    TrackedRun trial = run.startChild(name, Map.of("tessera.run_id", runId, "tessera.stage", stageName,
        "tessera.trial", name));
    trial.logParams(params);
    return trial;
  }

  /** Reopens a child run of the run this stage logs into; a stage inside a trial has none. */
  @Override
  public Optional<TrackedRun> reopenTrial(String trackedRunId) {
    return runId == null ? Optional.empty() : run.reopenChild(trackedRunId);
  }
}
