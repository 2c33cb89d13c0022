package dev.tessera.pipelines.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.Manifest;
import dev.tessera.pipelines.dag.ArtifactKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningStageTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  @TempDir Path dir;

  @Test
  void givesAnInputsDigestFromItsManifestWithoutItsFiles() {
    ArtifactStore store = new ArtifactStore(dir.resolve("home"));
    // An input whose files this machine does not have (with a remote root, evaluate's model is in the bucket).
    Artifact model = new Artifact("3f2a", dir.resolve("home/artifacts/3f2a"),
        new Manifest(ArtifactKind.MODEL.id(), 1, DIGEST, "run-1", "train", "3f2a", 0, Map.of()));
    RunningStage stage = new RunningStage("run-2", "evaluate", 7, 1, List.of(ArtifactKind.MODEL), List.of(model),
        store, dir.resolve("out"), null, dir.resolve("run"), List.of(), RunListener.none(), null, () -> false);

    assertEquals(DIGEST, stage.inputDigest(ArtifactKind.MODEL));
    assertThrows(IllegalStateException.class, () -> stage.input(ArtifactKind.MODEL),
        "its files would have to be fetched, and no root has them");
  }

  @Test
  void refusesADigestOfAnInputKindItDoesNotHave() {
    RunningStage stage = new RunningStage("run-2", "evaluate", 7, 1, List.of(ArtifactKind.MODEL), List.of(),
        new ArtifactStore(dir.resolve("home")), dir.resolve("out"), null, dir.resolve("run"), List.of(),
        RunListener.none(), null, () -> false);

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> stage.inputDigest(ArtifactKind.MODEL));
    assertEquals("Stage 'evaluate' asked for its one input of kind 'model', but it has 0 (its input kinds: "
        + "[model]).", e.getMessage());
  }
}
