package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.artifact.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation-driven choices of the trainer: early stopping, the best epoch as output, the EMA of the weights. */
class EarlyStoppingAndEmaTest {
  private static final SyntheticImages TRAIN = SyntheticImages.quadrants(48, 28, 1);
  private static final SyntheticImages VALIDATION = SyntheticImages.quadrants(8, 28, 2);

  @TempDir Path dir;

  private static TrainSpec spec(int epochs) {
    return TrainSpec.defaults(Models.lenet().withClasses(4)).withEpochs(epochs).withBatchSize(32).withDevice("cpu")
        .withLogEverySteps(1);
  }

  private TrainingResult train(TrainSpec spec, CheckpointResumeTest.Recorder recorder, String name)
      throws Exception {
    try (BatchSource train = new ArrayBatchSource(TRAIN.images, TRAIN.labels, 32, 7, true);
        BatchSource validation = new ArrayBatchSource(VALIDATION.images, VALIDATION.labels, 32, 0, false)) {
      return ClassifierTrainer.train(spec, 42, train, validation, recorder, dir.resolve(name));
    }
  }

  private static float[][] logits(Path modelDir) throws Exception {
    try (ClassifierPredictor predictor = ClassifierTrainer.load(modelDir)) {
      return predictor.logits(VALIDATION.flat(), VALIDATION.labels.length);
    }
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndOutputsTheBestEpoch() throws Exception {
    // A min delta no loss can beat: epoch 1 is the best, epoch 2 does not improve, patience 1 stops there.
    EarlyStoppingSpec rule = new EarlyStoppingSpec(EarlyStoppingSpec.Monitor.LOSS, 1, 10.0,
        EarlyStoppingSpec.ModelChoice.BEST);
    CheckpointResumeTest.Recorder recorder = new CheckpointResumeTest.Recorder();
    TrainingResult stopped = train(spec(5).withEarlyStopping(rule), recorder, "stopped");
    assertEquals(2, stopped.history().size());
    assertEquals(1, stopped.metadata().weightsEpoch());
    assertTrue(recorder.logs.stream().anyMatch(l -> l.startsWith("stopping early after epoch 2")), recorder.logs
        .toString());

    // The constant schedule makes epoch 1 of any run the same: the output is a 1-epoch run's model.
    TrainingResult one = train(spec(1), new CheckpointResumeTest.Recorder(), "one");
    float[][] best = logits(stopped.modelDir());
    float[][] expected = logits(one.modelDir());
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], best[i]);
    }

    TrainingResult last = train(spec(5).withEarlyStopping(new EarlyStoppingSpec(EarlyStoppingSpec.Monitor.LOSS, 1,
        10.0, EarlyStoppingSpec.ModelChoice.LAST)), new CheckpointResumeTest.Recorder(), "last");
    assertEquals(2, last.metadata().weightsEpoch());
    assertNotEquals(logits(last.modelDir())[0][0], best[0][0]);
  }

  @Test
  void emaIsValidatedAndSavedBesideTheRawWeights() throws Exception {
    CheckpointResumeTest.Recorder recorder = new CheckpointResumeTest.Recorder();
    TrainingResult result = train(spec(2).withEma(EmaSpec.of(0.9, 5)), recorder, "ema");
    assertEquals(List.of(1L, 2L), List.copyOf(recorder.points.get("val/ema_loss").keySet()));
    assertEquals(List.of(1L, 2L), List.copyOf(recorder.points.get("val/ema_accuracy").keySet()));
    assertEquals("ema-0002.params", result.metadata().emaParamsFile());
    Path ema = result.modelDir().resolve("ema-0002.params");
    assertTrue(Files.isRegularFile(ema));
    assertNotEquals(Digests.sha256Hex(result.modelDir().resolve("model-0002.params")), Digests.sha256Hex(ema));
    assertNotEquals(recorder.points.get("val/loss").get(2L), recorder.points.get("val/ema_loss").get(2L));
  }

  @Test
  void emaDecayRampsUpAsInYolov5() {
    EmaSpec ema = EmaSpec.of(0.9999, 2000);
    assertEquals(0.9999 * (1 - Math.exp(-1 / 2000.0)), ema.decayAt(1), 1e-15);
    assertEquals(0.9999 * (1 - Math.exp(-1.0)), ema.decayAt(2000), 1e-15);
  }
}
