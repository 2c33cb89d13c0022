package dev.tessera.stages.detection.train;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.augment.DetectionAugment;
import dev.tessera.stages.detection.model.DetectorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TrainDetector} on synthetic rectangles: the loss falls and the model directory is complete. */
class TrainDetectorTest {
  @TempDir Path dir;

  /** The source, a 64-pixel letterbox without mosaic, and a tiny detector trained for {@code epochs}. */
  static Experiment.Builder experiment(int epochs) {
    TrainDetectorSpec spec = TrainDetectorSpec.defaults(64).withEpochs(epochs).withBatchSize(8)
        .withLearningRate(0.005).withWarmupEpochs(1).withSize(0.125, 0.33).withEma(false)
        .withAugment(0, 0, false, 0);
    return Experiment.named("detector-test").seed(3)
        .stage("source", SyntheticBoxes.of(32, 8))
        .stage("augment", DetectionAugment.letterbox(64).withoutMosaic().samplesPerShard(8), after("source"))
        .stage("train-detector", new TrainDetector(spec), after("augment"));
  }

  @Test
  void lossFallsOnSyntheticRectanglesAndTheModelDirectoryIsComplete() throws Exception {
    Engine engine = new Engine(dir.resolve("home"));
    RunResult result = engine.run(experiment(12).build());
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    Map<String, Double> summary = result.run().stages.get("train-detector").summary;
    double first = summary.get("first_epoch_loss");
    double last = summary.get("loss");
    assertTrue(last < 0.6 * first, "loss should fall by 40%: first epoch " + first + ", last " + last);
    Path model = result.artifacts().get("train-detector").directory();
    DetectorModel info = DetectorModel.read(model);
    assertEquals(SyntheticBoxes.CLASSES, info.classNames());
    assertEquals(64, info.imageSize());
    assertEquals(3, info.config().anchors().size());
    assertTrue(Files.exists(model.resolve("detector-0012.params")), "parameters saved");
  }

  @Test
  void specRejectsAnImageSizeNotAMultipleOf32() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainDetectorSpec.defaults(100));
    assertTrue(e.getMessage().contains("train-detector.imageSize"), e.getMessage());
  }

  @Test
  void learningRateWarmsUpThenFollowsTheCosine() {
    TrainDetectorSpec spec = TrainDetectorSpec.defaults(64).withLearningRate(0.01).withWarmupEpochs(1);
    assertEquals(0.001, spec.learningRateAt(0, 100, 10), 1e-12);
    assertEquals(0.01, spec.learningRateAt(10, 100, 10), 1e-12);
    assertEquals(0.0001, spec.learningRateAt(99, 100, 10), 1e-12);
  }
}
