package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL training (PyTorch engine, CPU) on tiny synthetic data. */
class ClassifierTrainerTest {
  private static final SyntheticImages TRAIN = SyntheticImages.quadrants(48, 28, 1);
  private static final SyntheticImages VALIDATION = SyntheticImages.quadrants(16, 28, 2);

  @TempDir Path dir;

  /** Records every callback for assertions. */
  static final class Recorder implements TrainingCallbacks {
    final List<String> keys = new ArrayList<>();
    final List<Double> trainLosses = new ArrayList<>();
    final List<Long> trainLossSteps = new ArrayList<>();
    Map<String, String> params = Map.of();
    int progressCalls;
    int checks;
    int cancelAfterChecks = Integer.MAX_VALUE;

    @Override
    public void metric(String key, double value, long step) {
      keys.add(key);
      if (key.equals("train/loss")) {
        trainLosses.add(value);
        trainLossSteps.add(step);
      }
    }

    @Override
    public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {
      progressCalls++;
    }

    @Override
    public void checkCancelled() throws InterruptedException {
      if (++checks > cancelAfterChecks) {
        throw new InterruptedException("cancelled by test");
      }
    }

    @Override
    public void params(Map<String, String> params) {
      this.params = params;
    }
  }

  private static TrainSpec spec(int epochs) {
    return TrainSpec.defaults(Models.lenet().withClasses(4))
        .withEpochs(epochs)
        .withBatchSize(32)
        .withDevice("cpu")
        .withLogEverySteps(1);
  }

  private static BatchSource trainSource() {
    return new ArrayBatchSource(TRAIN.images, TRAIN.labels, 32, 7, true);
  }

  private static BatchSource validationSource() {
    return new ArrayBatchSource(VALIDATION.images, VALIDATION.labels, 32, 0, false);
  }

  @Test
  void lenetLearnsSeparablePatternsInAFewEpochs() throws Exception {
    Recorder recorder = new Recorder();
    TrainingResult result =
        ClassifierTrainer.train(spec(3), 42, trainSource(), validationSource(), recorder, dir.resolve("m"));

    assertEquals(3, result.history().size());
    assertEquals(3 * 6, result.steps()); // 192 samples / 32
    assertTrue(result.finalTrainAccuracy() >= 0.95, "train accuracy " + result.history());
    assertTrue(result.history().get(2).validationAccuracy() >= 0.95, "validation accuracy " + result.history());
    assertTrue(result.finalTrainLoss() < result.history().get(0).trainLoss(), "loss falls " + result.history());
    assertTrue(recorder.keys.containsAll(
        List.of("train/loss", "train/accuracy", "epoch/loss", "epoch/accuracy", "val/loss", "val/accuracy")));
    assertEquals(List.of(1L, 2L, 3L), recorder.trainLossSteps.subList(0, 3));
    assertEquals("32", recorder.params.get("effective_batch_size"));
    assertEquals(3 * 6 + 3 * 2, recorder.progressCalls); // train and validation batches
  }

  @Test
  void mlpTrainsWithSgdMomentum() throws Exception {
    TrainSpec spec = spec(3).withModel(Models.mlp(64).withClasses(4)).withLearningRate(0.05).withSgd(0.9);
    TrainingResult result =
        ClassifierTrainer.train(spec, 1, trainSource(), null, TrainingCallbacks.none(), dir.resolve("mlp"));
    assertTrue(result.finalTrainAccuracy() >= 0.9, "train accuracy " + result.history());
    assertTrue(Double.isNaN(result.history().get(0).validationLoss()));
  }

  @Test
  void sameSeedGivesBitIdenticalLossesAndDifferentSeedDoesNot() throws Exception {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Recorder other = new Recorder();
    ClassifierTrainer.train(spec(2), 42, trainSource(), null, first, dir.resolve("a"));
    ClassifierTrainer.train(spec(2), 42, trainSource(), null, second, dir.resolve("b"));
    ClassifierTrainer.train(spec(2), 43, trainSource(), null, other, dir.resolve("c"));

    assertEquals(12, first.trainLosses.size());
    // List.equals compares Double.equals: the bit patterns, not a tolerance.
    assertEquals(first.trainLosses, second.trainLosses);
    assertNotEquals(first.trainLosses.get(0), other.trainLosses.get(0));
  }

  @Test
  void savedModelLoadsAndPredictsLikeTheTrainedOne() throws Exception {
    Path modelDir = dir.resolve("model");
    TrainingResult result =
        ClassifierTrainer.train(spec(2), 5, trainSource(), validationSource(), TrainingCallbacks.none(), modelDir);

    assertTrue(Files.isRegularFile(modelDir.resolve("model-0002.params")));
    assertTrue(Files.isRegularFile(modelDir.resolve(ModelMetadata.FILE_NAME)));
    String mlmodel = Files.readString(modelDir.resolve("MLmodel"));
    assertTrue(mlmodel.contains("artifact_path: model"), mlmodel);
    assertTrue(mlmodel.contains("    model_file: 'model-0002.params'"), mlmodel);
    assertTrue(mlmodel.contains("model_uuid: '" + result.metadata().modelUuid() + "'"), mlmodel);

    float[] images = VALIDATION.flat();
    int n = VALIDATION.labels.length;
    float[][] logits;
    int[] predicted;
    try (ClassifierPredictor predictor = ClassifierTrainer.load(modelDir)) {
      assertEquals(result.metadata(), predictor.metadata());
      logits = predictor.logits(images, n);
      predicted = predictor.predict(images, n);
    }
    int correct = 0;
    for (int i = 0; i < n; i++) {
      correct += predicted[i] == VALIDATION.labels[i] ? 1 : 0;
    }
    // The trainer's validation pass ran the in-memory model in inference mode on the same samples.
    assertEquals(result.history().get(1).validationAccuracy(), (double) correct / n);

    try (ClassifierPredictor again = ClassifierPredictor.load(modelDir)) {
      float[][] logitsAgain = again.logits(images, n);
      for (int i = 0; i < n; i++) {
        assertArrayEquals(logits[i], logitsAgain[i]);
      }
    }
  }

  @Test
  void stopsPromptlyWhenCancelled() {
    Recorder recorder = new Recorder();
    recorder.cancelAfterChecks = 3;
    Path modelDir = dir.resolve("cancelled");
    assertThrows(
        InterruptedException.class,
        () -> ClassifierTrainer.train(spec(5), 1, trainSource(), null, recorder, modelDir));
    assertEquals(3, recorder.progressCalls);
    assertFalse(Files.exists(modelDir));
  }

  @Test
  void rejectsLabelsOutsideTheModelsClasses() {
    int[] labels = TRAIN.labels.clone();
    labels[5] = 4;
    BatchSource bad = new ArrayBatchSource(TRAIN.images, labels, 32, 7, false);
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> ClassifierTrainer.train(spec(1), 1, bad, null, TrainingCallbacks.none(), dir.resolve("x")));
    assertEquals(
        "Batch 1 of epoch 1: labels[5] must be in [0, 4), but was 4 (model.classes is 4)", e.getMessage());
  }

  @Test
  void loadingAnEmptyDirectorySaysWhatIsMissing() {
    IOException e = assertThrows(IOException.class, () -> ClassifierTrainer.load(dir));
    assertTrue(e.getMessage().contains("tessera-model.json is missing"), e.getMessage());
  }
}
