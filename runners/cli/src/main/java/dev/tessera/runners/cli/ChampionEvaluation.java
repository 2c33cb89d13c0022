package dev.tessera.runners.cli;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.artifact.Manifest;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageNode;
import dev.tessera.pipelines.exec.RunResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * Measures the current champion on this run's data: the gate's stage (such as {@code evaluate}) runs once more,
 * with the champion's model in place of the new one and every other input as the run had it, so both models are
 * compared on the same evaluation data even when the data has grown since the champion was registered. Its outputs
 * are scratch: nothing is cached or tracked.
 */
final class ChampionEvaluation {
  private ChampionEvaluation() {}

  /**
   * The champion's value of the stage's summary {@code key}; empty when the stage reads no model (then there is
   * nothing to swap, and the champion's recorded value is used).
   */
  static OptionalDouble measure(Experiment experiment, StageNode node, RunResult result, Path championModel,
      String key, Path scratchParent) {
    Map<String, ArtifactKind> kinds = new java.util.HashMap<>();
    experiment.stages().forEach(n -> kinds.put(n.name(), n.stage().output()));
    if (node.after().stream().noneMatch(dep -> ArtifactKind.MODEL.equals(kinds.get(dep)))) {
      return OptionalDouble.empty();
    }
    Artifact champion = new Artifact("champion", championModel, new Manifest(ArtifactKind.MODEL.toString(), 0,
        digest(championModel), null, null, null, 0, Map.of()));
    Map<ArtifactKind, List<Artifact>> inputs = new java.util.HashMap<>();
    for (String dependency : node.after()) {
      ArtifactKind kind = kinds.get(dependency);
      Artifact artifact = ArtifactKind.MODEL.equals(kind) ? champion : result.artifacts().get(dependency);
      inputs.computeIfAbsent(kind, k -> new ArrayList<>()).add(artifact);
    }
    Path scratch;
    try {
      Files.createDirectories(scratchParent);
      scratch = Files.createTempDirectory(scratchParent, "champion-" + node.name() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory in " + scratchParent, e);
    }
    try {
      Files.createDirectories(scratch.resolve("out"));
      Double value = node.stage().run(context(node, result, inputs, scratch)).summary().get(key);
      if (value == null) {
        throw new IllegalStateException("stage '" + node.name() + "' reported no '" + key + "' for the champion");
      }
      return OptionalDouble.of(value);
    } catch (Exception e) {
      throw new IllegalStateException("could not measure the champion (" + championModel + ") with stage '"
          + node.name() + "' on this run's data: " + e.getMessage() + ". The new model was not registered; check "
          + "that the champion was trained for this experiment's data.", e);
    } finally {
      delete(scratch);
    }
  }

  /** The digest of the champion's files (a registered version has no manifest), as a stage's input must carry. */
  private static String digest(Path model) {
    try {
      return Digests.ofTree(model, List.of(Manifest.FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the champion's files in " + model + ": " + e.getMessage(), e);
    }
  }

  private static StageContext context(StageNode node, RunResult result, Map<ArtifactKind, List<Artifact>> inputs,
      Path scratch) {
    return new StageContext() {
      @Override
      public String runId() {
        return result.runId();
      }

      @Override
      public String stageName() {
        return node.name();
      }

      @Override
      public long seed() {
        return result.run().params.containsKey("seed") ? Long.parseLong(result.run().params.get("seed")) : 0;
      }

      @Override
      public int attempt() {
        return 1;
      }

      @Override
      public Artifact input(ArtifactKind kind) {
        List<Artifact> all = inputs(kind);
        if (all.size() != 1) {
          throw new IllegalStateException("stage '" + node.name() + "' has " + all.size() + " inputs of kind "
              + kind);
        }
        return all.get(0);
      }

      @Override
      public List<Artifact> inputs(ArtifactKind kind) {
        return inputs.getOrDefault(kind, List.of());
      }

      @Override
      public Path outputDirectory() {
        return scratch.resolve("out");
      }

      @Override
      public Path workDirectory() {
        return scratch;
      }

      @Override
      public List<String> pipelineArgs() {
        return result.run().pipelineArgs;
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
    };
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the scratch directory " + dir, e);
    }
  }
}
