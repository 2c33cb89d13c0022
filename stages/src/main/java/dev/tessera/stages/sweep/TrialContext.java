package dev.tessera.stages.sweep;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.PrefixingStageTracker;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The context a wrapped stage runs in during one trial: the sweep's own inputs plus the trial's earlier outputs,
 * folders inside the sweep's work directory, and a tracker that logs into the trial's child run.
 */
final class TrialContext implements StageContext {
  private final StageContext sweep;
  private final String stageName;
  private final Map<ArtifactKind, Artifact> inputs;
  private final Path output;
  private final Path work;
  private final TrackedRun trial;

  TrialContext(StageContext sweep, String stageName, Map<ArtifactKind, Artifact> inputs, Path output, Path work,
      TrackedRun trial) {
    this.sweep = sweep;
    this.stageName = stageName;
    this.inputs = Map.copyOf(inputs);
    this.output = output;
    this.work = work;
    this.trial = trial;
  }

  @Override
  public String runId() {
    return sweep.runId();
  }

  @Override
  public String stageName() {
    return stageName;
  }

  @Override
  public long seed() {
    return sweep.seed();
  }

  @Override
  public int attempt() {
    return sweep.attempt();
  }

  @Override
  public Artifact input(ArtifactKind kind) {
    Artifact artifact = inputs.get(kind);
    if (artifact == null) {
      throw new IllegalArgumentException("stage '" + stageName + "' of a sweep trial asked for a " + kind
          + " input; the trial has " + inputs.keySet());
    }
    return artifact;
  }

  @Override
  public List<Artifact> inputs(ArtifactKind kind) {
    return inputs.containsKey(kind) ? List.of(inputs.get(kind)) : List.of();
  }

  @Override
  public Path outputDirectory() {
    return output;
  }

  @Override
  public Path workDirectory() {
    return work;
  }

  @Override
  public List<String> pipelineArgs() {
    return sweep.pipelineArgs();
  }

  @Override
  public Progress progress() {
    return new Progress() {
      @Override
      public void update(long done, long total, String message) {
        // The sweep reports progress per trial; a wrapped stage's own progress would overwrite it.
      }

      @Override
      public void log(String message) {
        sweep.progress().log(stageName + ": " + message);
      }
    };
  }

  @Override
  public StageTracker tracker() {
    return PrefixingStageTracker.insideTrial(trial, stageName);
  }

  @Override
  public void checkCancelled() throws InterruptedException {
    sweep.checkCancelled();
  }
}
