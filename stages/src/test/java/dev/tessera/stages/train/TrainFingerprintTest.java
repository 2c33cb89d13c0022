package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Manifest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What makes a later attempt the same training run: everything but {@code epochs} (the budget successive halving
 * raises when it promotes a trial), so a checkpoint is still refused after any other change.
 */
class TrainFingerprintTest {
  private static final TrainSpec BASE = TrainSpec.defaults(Models.mlp(16).withClasses(4)).withEpochs(1)
      .withBatchSize(16).withDevice("cpu");

  private static String fingerprint(TrainSpec spec, long seed, String dataDigest) {
    Artifact data = new Artifact("data", Path.of("data"), new Manifest("dataset", 1, dataDigest, "run", "ingest", "",
        0L, Map.of()));
    return new Train(spec).fingerprint(seed, data);
  }

  @Test
  void ignoresTheEpochBudget() {
    assertEquals(fingerprint(BASE, 42, "d1"), fingerprint(BASE.withEpochs(3), 42, "d1"));
  }

  @Test
  void changesWithEveryOtherSetting() {
    String base = fingerprint(BASE, 42, "d1");
    assertNotEquals(base, fingerprint(BASE.withBatchSize(32), 42, "d1"), "batch size");
    assertNotEquals(base, fingerprint(BASE.withOptimizer(OptimizerSpec.adam(2e-3)), 42, "d1"), "learning rate");
    assertNotEquals(base, fingerprint(BASE.withSchedule(ScheduleSpec.cosine()), 42, "d1"), "schedule");
    assertNotEquals(base, fingerprint(BASE.withModel(Models.mlp(32).withClasses(4)), 42, "d1"), "model");
    assertNotEquals(base, fingerprint(BASE, 43, "d1"), "seed");
    assertNotEquals(base, fingerprint(BASE, 42, "d2"), "data");
  }
}
