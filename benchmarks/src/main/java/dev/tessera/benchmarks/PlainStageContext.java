package dev.tessera.benchmarks;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.StageContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The least a stage needs to run outside the executor: inputs, folders and a seed; progress and tracking go
 * nowhere. It is what "calling the stage by hand" means in {@link SweepOverheadBenchmark}.
 */
record PlainStageContext(String stageName, long seed, Map<ArtifactKind, Artifact> byKind, Path outputDirectory,
    Path workDirectory) implements StageContext {

  @Override
  public String runId() {
    return "plain";
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public Artifact input(ArtifactKind kind) {
    return byKind.get(kind);
  }

  @Override
  public List<Artifact> inputs(ArtifactKind kind) {
    return byKind.containsKey(kind) ? List.of(byKind.get(kind)) : List.of();
  }

  @Override
  public List<String> pipelineArgs() {
    return List.of(); // as the executor by default: Beam's DirectRunner
  }

  @Override
  public Progress progress() {
    return Progress.none();
  }

  @Override
  public StageTracker tracker() {
    return StageTracker.none();
  }

  @Override
  public void checkCancelled() {}
}
