package dev.tessera.stages.detection.train;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.augment.DetectionAugment;
import dev.tessera.stages.detection.model.AnchorKMeans;
import dev.tessera.stages.detection.model.DetectorModel;
import dev.tessera.stages.detection.model.YoloConfig;
import dev.tessera.stages.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DetectorTrainer} with checkpoints: a run that crashes and resumes ends with the same weights. */
class DetectorResumeTest {
  private static final int SIDE = 64;
  @TempDir static Path shared;
  @TempDir Path dir;
  private static DetectionShards shards;
  private static DetectorModel model;
  private final TrainDetectorSpec spec = TrainDetectorSpec.defaults(SIDE).withEpochs(3).withBatchSize(2)
      .withWarmupEpochs(1).withSize(0.125, 0.33).withEma(true).withAugment(1.0, 1, true, 0.3);

  @BeforeAll
  static void fourLetterboxedImages() throws Exception {
    Experiment experiment = Experiment.named("resume-test").seed(5)
        .stage("source", SyntheticBoxes.of(4, 1))
        .stage("augment", DetectionAugment.letterbox(SIDE).withoutMosaic().samplesPerShard(4), after("source"))
        .build();
    RunResult result = new Engine(shared.resolve("home")).run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    Path data = result.artifacts().get("augment").directory();
    DatasetManifest manifest = DatasetManifest.read(data);
    shards = new DetectionShards(data, manifest.splits().get("train").shards(), SIDE, 2, 5,
        new EpochAugment(1.0, true, 0.3, new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25}));
    YoloConfig config = new YoloConfig(2, 0.125, 0.33, AnchorKMeans.perScale(shards.boxSizes(), 1, 5));
    model = new DetectorModel(DetectorModel.FORMAT, SyntheticBoxes.CLASSES, SIDE, 114, config,
        List.of(0.0, 0.0, 0.0), List.of(1.0, 1.0, 1.0), 3, 5);
  }

  /** A log that keeps its info lines and, like a crash, fails its cancellation check after some steps. */
  private static final class Log implements TrainingLog {
    final List<String> lines = new ArrayList<>();
    private final long crashAfter;
    private long steps;

    Log(long crashAfter) {
      this.crashAfter = crashAfter;
    }

    @Override
    public void metric(String key, double value, long step) {
      steps = Math.max(steps, step);
    }

    @Override
    public void progress(long done, long total, String message) {}

    @Override
    public void info(String message) {
      lines.add(message);
    }

    @Override
    public void checkCancelled() throws InterruptedException {
      if (steps >= crashAfter) {
        throw new InterruptedException("simulated crash after " + steps + " steps");
      }
    }
  }

  private static String parametersDigest(Path modelDir) throws IOException {
    try (Stream<Path> files = Files.list(modelDir)) {
      Path params = files.filter(p -> p.getFileName().toString().endsWith(".params")).findFirst().orElseThrow();
      return Digests.sha256Hex(params);
    }
  }

  @Test
  void aRunThatCrashesMidEpochAndResumesEndsWithTheWeightsOfAnUninterruptedRun() throws Exception {
    Path straight = dir.resolve("straight");
    List<EpochLoss> expected = DetectorTrainer.train(spec, model, shards, 5, TrainingLog.none(), straight,
        Checkpoints.in(dir.resolve("ckpt-straight"), "same"));

    Checkpoints checkpoints = Checkpoints.in(dir.resolve("ckpt-crash"), "same");
    Path crashed = dir.resolve("crashed");
    // Two steps per epoch: the crash comes in the second epoch, after the first epoch's checkpoint.
    assertThrows(InterruptedException.class, () -> DetectorTrainer.train(spec, model, shards, 5,
        new Log(3), crashed, checkpoints));
    List<EpochLoss> resumed = DetectorTrainer.train(spec, model, shards, 5, TrainingLog.none(), crashed,
        checkpoints);

    assertEquals(parametersDigest(straight), parametersDigest(crashed), "same weights, bit for bit");
    assertEquals(expected.size(), resumed.size());
    assertEquals(expected.get(2).loss(), resumed.get(2).loss(), 1e-6, "the last epoch's loss");
  }

  @Test
  void aCorruptNewestCheckpointFallsBackToTheOneBeforeAndAnotherFingerprintIsNotResumed() throws Exception {
    Path checkpointDir = dir.resolve("ckpt");
    Path first = dir.resolve("first");
    DetectorTrainer.train(spec.withEpochs(2), model, shards, 5, TrainingLog.none(), first,
        Checkpoints.in(checkpointDir, "a"));
    List<Path> saved;
    try (Stream<Path> entries = Files.list(checkpointDir)) {
      saved = entries.filter(p -> p.getFileName().toString().startsWith("ckpt-")).sorted().toList();
    }
    assertEquals(2, saved.size(), "one checkpoint per epoch, the newest " + DetectorCheckpoint.KEEP + " kept");
    Files.write(saved.get(1).resolve("tensors.bin"), new byte[] {1, 2, 3});

    Log log = new Log(Long.MAX_VALUE);
    Path again = dir.resolve("again");
    DetectorTrainer.train(spec.withEpochs(2), model, shards, 5, log, again,
        Checkpoints.in(checkpointDir, "a"));
    assertTrue(log.lines.stream().anyMatch(m -> m.contains("is corrupt")), log.lines.toString());
    assertTrue(log.lines.stream().anyMatch(m -> m.contains("resumed from the checkpoint after epoch 1")),
        log.lines.toString());
    assertEquals(parametersDigest(first), parametersDigest(again), "epoch 2 trained again gives the same weights");

    Log other = new Log(Long.MAX_VALUE);
    DetectorTrainer.train(spec.withEpochs(1), model, shards, 5, other, dir.resolve("other"),
        Checkpoints.in(checkpointDir, "b"));
    assertTrue(other.lines.stream().anyMatch(m -> m.contains("not resumed")), other.lines.toString());
    assertFalse(other.lines.stream().anyMatch(m -> m.contains("resumed from the checkpoint")),
        other.lines.toString());
  }
}
