package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.stages.train.internal.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A training run interrupted and resumed from its checkpoints ends exactly where an uninterrupted one does. */
class CheckpointResumeTest {
  private static final SyntheticImages TRAIN = SyntheticImages.quadrants(24, 28, 1); // 96 samples: 6 batches of 16
  private static final SyntheticImages VALIDATION = SyntheticImages.quadrants(8, 28, 2);

  @TempDir Path dir;

  /** Every metric point and log line, and a crash on a chosen point. */
  static final class Recorder implements TrainingCallbacks {
    final Map<String, Map<Long, Double>> points = new TreeMap<>();
    final List<String> duplicates = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    String crashKey;
    long crashStep;

    @Override
    public void metric(String key, double value, long step) {
      if (key.equals(crashKey) && step == crashStep) {
        throw new IllegalStateException("simulated crash at " + key + " step " + step);
      }
      if (key.equals(ClassifierTrainer.DATA_WAIT_METRIC)) {
        return; // a share of wall time: differs from run to run by design
      }
      if (points.computeIfAbsent(key, k -> new TreeMap<>()).put(step, value) != null) {
        duplicates.add(key + "@" + step);
      }
    }

    @Override
    public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {}

    @Override
    public void checkCancelled() {}

    @Override
    public void log(String message) {
      logs.add(message);
    }
  }

  private static TrainSpec spec(OptimizerKind kind) {
    TrainSpec spec = TrainSpec.defaults(Models.lenet().withClasses(4)).withEpochs(2).withBatchSize(16)
        .withDevice("cpu").withLogEverySteps(1).withCheckpoint(new CheckpointSpec(1, 4, 3));
    return switch (kind) {
      case ADAM -> spec.withSchedule(ScheduleSpec.cosine());
      case ADAMW -> spec.withOptimizer(OptimizerSpec.adamW(2e-3, 0.01).withClipGradNorm(1))
          .withSchedule(ScheduleSpec.cosine().withWarmupEpochs(0.5)).withEma(EmaSpec.of(0.99, 3))
          .withEpochs(3).withEarlyStopping(new EarlyStoppingSpec(EarlyStoppingSpec.Monitor.ACCURACY, 2, 0.001,
              EarlyStoppingSpec.ModelChoice.BEST));
      case SGD -> spec.withOptimizer(OptimizerSpec.sgd(0.05, 0.9).withNesterov(true).withWeightDecay(1e-4))
          .withSchedule(ScheduleSpec.multiStep(0.5, 1));
      case RMSPROP -> spec.withOptimizer(OptimizerSpec.rmsProp(1e-3, 0.5));
    };
  }

  private static BatchSource source() {
    return new ArrayBatchSource(TRAIN.images, TRAIN.labels, 16, 7, true);
  }

  private TrainingResult train(TrainSpec spec, Recorder recorder, String name, Checkpoints checkpoints)
      throws Exception {
    try (BatchSource source = source();
        BatchSource validation = spec.ema().enabled()
            ? new ArrayBatchSource(VALIDATION.images, VALIDATION.labels, 16, 0, false) : null) {
      return ClassifierTrainer.train(spec, 42, source, validation, recorder, dir.resolve(name), checkpoints);
    }
  }

  private static String weights(TrainingResult result) throws Exception {
    String digest = Digests.sha256Hex(result.modelDir().resolve(result.metadata().paramsFile()));
    return result.metadata().emaParamsFile() == null ? digest
        : digest + "+ema:" + Digests.sha256Hex(result.modelDir().resolve(result.metadata().emaParamsFile()));
  }

  private static List<List<Double>> epochs(TrainingResult result) {
    return result.history().stream()
        .map(e -> List.of((double) e.epoch(), e.trainLoss(), e.trainAccuracy(), e.validationLoss(),
            e.validationAccuracy(), (double) e.steps())).toList();
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void runResumedMidEpochEndsBitIdenticalToAnUninterruptedOne(OptimizerKind kind) throws Exception {
    TrainSpec spec = spec(kind);
    Recorder straight = new Recorder();
    TrainingResult uninterrupted = train(spec, straight, "straight", Checkpoints.in(dir.resolve("c1"), "run"));

    Checkpoints checkpoints = Checkpoints.in(dir.resolve("c2"), "run");
    Recorder crashed = new Recorder();
    crashed.crashKey = "train/loss";
    crashed.crashStep = 11; // 6 batches per epoch: the newest checkpoint is step 8, two batches into epoch 2
    assertThrows(IllegalStateException.class, () -> train(spec, crashed, "crashed", checkpoints));
    Recorder resumed = new Recorder();
    resumed.points.putAll(crashed.points); // one MLflow run sees both attempts
    TrainingResult continued = train(spec, resumed, "resumed", checkpoints);

    assertTrue(resumed.logs.stream().anyMatch(l -> l.startsWith("resuming from checkpoint ckpt-000000000008")),
        resumed.logs.toString());
    assertEquals(weights(uninterrupted), weights(continued));
    assertEquals(epochs(uninterrupted), epochs(continued));
    assertEquals(uninterrupted.steps(), continued.steps());
    assertEquals(uninterrupted.metadata().weightsEpoch(), continued.metadata().weightsEpoch());
    // Every step's loss and learning rate as in the uninterrupted run, each logged once.
    assertEquals(straight.points, resumed.points);
    assertEquals(List.of(), resumed.duplicates);
    assertEquals(uninterrupted.steps(), resumed.points.get("train/lr").size());
  }

  @Test
  void keepsTheNewestCheckpointsAndFallsBackPastACorruptOne() throws Exception {
    TrainSpec spec = spec(OptimizerKind.ADAM);
    Checkpoints checkpoints = Checkpoints.in(dir.resolve("c"), "run");
    TrainingResult first = train(spec, new Recorder(), "first", checkpoints);
    CheckpointStore store = new CheckpointStore(checkpoints.directory(), "run", 3, m -> {});
    List<String> names = store.checkpoints().stream().map(p -> p.getFileName().toString()).toList();
    assertEquals(List.of("ckpt-000000000008-000001-0000000002", "ckpt-000000000012-000001-0000000006",
        "ckpt-000000000012-000002-0000000000"), names);

    // Flip a byte of the newest: the run falls back to the one before, says so, and ends the same.
    Path newest = checkpoints.directory().resolve(names.get(2)).resolve(CheckpointStore.TENSORS);
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length / 2] ^= 1;
    Files.write(newest, bytes);
    Recorder recorder = new Recorder();
    TrainingResult again = train(spec, recorder, "again", checkpoints);
    assertTrue(recorder.logs.stream().anyMatch(l -> l.startsWith("checkpoint " + names.get(2) + " is corrupt")),
        recorder.logs.toString());
    assertTrue(recorder.logs.stream().anyMatch(l -> l.startsWith("resuming from checkpoint " + names.get(1))),
        recorder.logs.toString());
    assertEquals(weights(first), weights(again));
  }

  @Test
  void refusesACheckpointOfAnotherArchitectureAndSkipsOneOfAnotherRun() throws Exception {
    Checkpoints checkpoints = Checkpoints.in(dir.resolve("c"), "run");
    train(spec(OptimizerKind.ADAM).withEpochs(1), new Recorder(), "lenet", checkpoints);

    TrainSpec mlp = spec(OptimizerKind.ADAM).withModel(Models.mlp(16).withClasses(4));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> train(mlp, new Recorder(), "mlp", checkpoints));
    assertTrue(e.getMessage().contains("it holds a lenet model (1x28x28 CHW in, 4 classes), but train.model is a "
        + "mlp model (1x28x28 CHW in, 4 classes, hidden [16])"), e.getMessage());

    Recorder other = new Recorder();
    TrainingResult fresh = train(spec(OptimizerKind.ADAM), other, "other", Checkpoints.in(checkpoints.directory(), "other-run"));
    assertTrue(other.logs.stream().anyMatch(l -> l.contains("belongs to another spec, seed, code or data")),
        other.logs.toString());
    assertEquals(12, fresh.steps());
    assertEquals(12, other.points.get("train/loss").size());
  }

  @Test
  void aRunAskedForMoreEpochsContinuesFromItsLastCheckpointAsIfUninterrupted() throws Exception {
    TrainSpec twoEpochs = spec(OptimizerKind.RMSPROP); // constant learning rate: the length does not shape it
    TrainingResult straight = train(twoEpochs, new Recorder(), "straight", Checkpoints.in(dir.resolve("c1"), "run"));

    Checkpoints checkpoints = Checkpoints.in(dir.resolve("c2"), "run");
    Recorder first = new Recorder();
    TrainingResult oneEpoch = train(twoEpochs.withEpochs(1), first, "one", checkpoints);
    assertEquals(6, oneEpoch.steps());
    Recorder second = new Recorder();
    second.points.putAll(first.points);
    TrainingResult continued = train(twoEpochs, second, "two", checkpoints);

    assertTrue(second.logs.stream().anyMatch(l -> l.startsWith("resuming from checkpoint") && l.contains("step 6")),
        second.logs.toString());
    assertEquals(12, continued.steps(), "the step counter goes on from 6");
    assertEquals(List.of(), second.duplicates);
    assertEquals(weights(straight), weights(continued));
    assertEquals(epochs(straight), epochs(continued));

    Recorder fewer = new Recorder();
    TrainingResult again = train(twoEpochs.withEpochs(1), fewer, "fewer", checkpoints);
    assertTrue(fewer.logs.stream().anyMatch(l -> l.contains("past train.epochs=1; not resumed")),
        fewer.logs.toString());
    assertEquals(6, again.steps(), "a checkpoint past the asked epochs is not resumed");
  }
}
