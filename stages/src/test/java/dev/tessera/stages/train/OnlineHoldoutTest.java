package dev.tessera.stages.train;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.tracking.mlflow.FileStoreReader;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.StoredRun;
import dev.tessera.stages.testing.SyntheticDigits;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train.validation.holdoutFraction} on the online path: the train stage holds out the same seeded rows the
 * float-shard path would, trains on the rest and validates on them every epoch.
 */
class OnlineHoldoutTest {
  @TempDir Path dir;

  @Test
  void onlineTrainingHoldsOutTheSeededRowsAndValidatesOnThem() throws Exception {
    TrainSpec spec = TrainSpec.defaults(Models.mlp(16).withInput(1, 20, 20)).withEpochs(2).withBatchSize(16)
        .withDevice("cpu").withOnline(OnlineSpec.resizeNormalize(20, 20, 0.5, 0.25).withFlip(0.5))
        .withValidation(new ValidationSpec("", 0.25));
    Experiment experiment = Experiment.named("online-holdout").seed(3)
        .stage("source", SyntheticDigits.of(2, 40))
        .stage("train", new Train(spec), after("source"))
        .build();
    Engine engine = new Engine(dir.resolve("home"));
    engine.tracker = FileStoreTracker.at(dir.resolve("mlruns"));
    RunResult result = engine.run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));

    // The stage's seed is the experiment's (3); SyntheticDigits writes train/train-0000{0,1}.arrow of 40 rows.
    ShardBatchSource.Holdout heldOut = new ShardBatchSource.Holdout(3, 0.25, true);
    long held = 0;
    for (String file : List.of("train/train-00000.arrow", "train/train-00001.arrow")) {
      for (int row = 0; row < 40; row++) {
        held += heldOut.reads(file, row) ? 1 : 0;
      }
    }
    assertTrue(held > 0 && held < 80, "the draw holds out some rows, not all: " + held);
    assertEquals(80 - held, result.run().stages.get("train").itemCount, "trained on the rows not held out");

    StoredRun tracked = FileStoreReader.at(dir.resolve("mlruns")).runs().get(0);
    for (String key : List.of("train/val/loss", "train/val/accuracy")) {
      List<StoredRun.MetricPoint> points = tracked.metrics().get(key);
      assertTrue(points != null && points.size() == 2, key + " once per epoch in " + tracked.metrics().keySet());
      assertFalse(Double.isNaN(points.get(1).value()), key);
    }
  }
}
