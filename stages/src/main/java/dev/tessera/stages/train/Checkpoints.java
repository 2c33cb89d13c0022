package dev.tessera.stages.train;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.exec.Fingerprints;
import dev.tessera.pipelines.spec.Specs;
import java.nio.file.Path;

/**
 * Where the trainer keeps its checkpoints and what run they belong to. Give the same directory and fingerprint to
 * a later {@link ClassifierTrainer#train} call and it continues from the newest valid checkpoint there, exactly
 * where the earlier call stopped.
 *
 * <pre>{@code
 * Checkpoints checkpoints = Checkpoints.in(context.workDirectory().resolve("checkpoints"), fingerprint);
 * ClassifierTrainer.train(spec, seed, source, null, callbacks, modelDir, checkpoints);
 * }</pre>
 *
 * @param directory the checkpoint folder, created when missing; survives crashes (a stage's work directory does)
 * @param fingerprint what makes two runs the same run (spec, seed, code, data): checkpoints with another one are
 *     skipped, not resumed
 */
public record Checkpoints(Path directory, String fingerprint) {

  public Checkpoints {
    if (directory == null) {
      throw new IllegalArgumentException("checkpoints.directory must be set, but was null");
    }
    if (fingerprint == null || fingerprint.isBlank()) {
      throw new IllegalArgumentException("checkpoints.fingerprint must be a non-blank string, but was "
          + (fingerprint == null ? "null" : "blank"));
    }
  }

  /**
   * What makes a later attempt of a training stage the same run, so it may continue from the earlier one's
   * checkpoints: the stage's spec without the top-level {@code budget} settings (such as {@code epochs}: how long to
   * train, not what is trained), the seed, its code (bytecode fingerprint) and its input data (artifact digest).
   */
  public static String fingerprint(Stage<?> stage, long seed, Artifact data, String... budget) {
    com.fasterxml.jackson.databind.node.ObjectNode settings =
        (com.fasterxml.jackson.databind.node.ObjectNode) Specs.toTree(stage.spec());
    for (String name : budget) {
      settings.remove(name);
    }
    return Digests.sha256Hex(Specs.canonicalJson(settings) + "\nseed=" + seed + "\ncode="
        + Fingerprints.ofStage(stage).digest() + "\ndata=" + data.digest());
  }

  /** Checkpoints in {@code directory} for the run identified by {@code fingerprint}. */
  public static Checkpoints in(Path directory, String fingerprint) {
    return new Checkpoints(directory, fingerprint);
  }
}
