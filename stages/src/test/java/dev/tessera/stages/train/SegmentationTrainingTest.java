package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.stages.testing.SyntheticShards;
import dev.tessera.stages.train.models.BceDiceLoss;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's per-pixel mode: a U-Net learns masks from uint8 shards through the online path, which carries each
 * mask through the same flips and resize as its image.
 */
class SegmentationTrainingTest {
  private static final int SIDE = 32;
  @TempDir Path dir;

  /** 32x32 gray images, level 50 with a rectangle of level 200; the mask is 1 inside the rectangle. */
  private static Sample sample(String split, int index) {
    SplittableRandom random = new SplittableRandom(split.hashCode() * 31L + index);
    byte[] pixels = new byte[SIDE * SIDE * 3];
    byte[] mask = new byte[SIDE * SIDE];
    int x0 = random.nextInt(SIDE / 2);
    int y0 = random.nextInt(SIDE / 2);
    int w = 6 + random.nextInt(SIDE / 2 - 4);
    int h = 6 + random.nextInt(SIDE / 2 - 4);
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        boolean inside = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
        int level = inside ? 200 : 50;
        for (int k = 0; k < 3; k++) {
          pixels[(y * SIDE + x) * 3 + k] = (byte) level;
        }
        mask[y * SIDE + x] = (byte) (inside ? 1 : 0);
      }
    }
    return new Sample("boxes/" + split + "/" + index, pixels, SIDE, SIDE, 3, DType.UINT8, Layout.HWC, null, null,
        null, mask, "synthetic", split);
  }

  private TrainSpec spec() {
    return TrainSpec.defaults(Models.unet(2, 8).withInput(3, 16, 16)).withEpochs(4).withBatchSize(8)
        .withDevice("cpu").withPrefetchBatches(1).withLoss(BceDiceLoss.NAME).withLearningRate(0.01)
        .withOnline(OnlineSpec.resizeNormalize(16, 16, 0.5, 0.25).withFlip(0.5));
  }

  @Test
  void aUNetLearnsMasksThroughTheOnlinePath() throws Exception {
    DatasetManifest manifest = SyntheticShards.write(dir.resolve("data"), "boxes", List.of("background", "box"),
        Map.of("train", 48, "val", 16), 16, SegmentationTrainingTest::sample);
    TrainSpec spec = spec();
    try (BatchSource train = new OnlineBatchSource(dir.resolve("data"), manifest.splits().get("train").shards(),
            spec.online(), 3, 8, 1, true, null, true);
        BatchSource val = new OnlineBatchSource(dir.resolve("data"), manifest.splits().get("val").shards(),
            spec.online().withoutAugmentation(), 3, 8, 1, false, null, true)) {
      TrainingResult result = ClassifierTrainer.train(spec, 1, train, val, TrainingCallbacks.none(),
          dir.resolve("model"));
      List<EpochMetrics> history = result.history();
      assertEquals(4, history.size());
      EpochMetrics last = history.get(history.size() - 1);
      assertTrue(last.trainLoss() < history.get(0).trainLoss(), "the loss falls: " + history);
      // Pixel accuracy (a fraction of pixels, not of images): the boxes cover about a quarter of each image.
      assertTrue(last.trainAccuracy() > 0.95 && last.trainAccuracy() <= 1, "train pixel accuracy " + history);
      // Validation lags behind while batch norm's running statistics settle, but is well past chance (0.7).
      assertTrue(last.validationAccuracy() > 0.8, "val pixel accuracy " + history);
    }
  }

  @Test
  void masksFollowTheirImagesIntoTheBatch() throws Exception {
    DatasetManifest manifest = SyntheticShards.write(dir.resolve("data"), "boxes", List.of("background", "box"),
        Map.of("train", 8), 8, SegmentationTrainingTest::sample);
    OnlineSpec online = new OnlineSpec(16, 16, List.of(0.0), List.of(1.0), 1, 0.5);
    try (BatchSource source = new OnlineBatchSource(dir.resolve("data"), manifest.splits().get("train").shards(),
            online, 3, 8, 3, true, null, true);
        BatchSource.Cursor cursor = source.epoch(0)) {
      ImageBatch batch = cursor.next();
      assertEquals(8 * 16 * 16, batch.labels().length);
      int agree = 0;
      for (int p = 0; p < 8 * 16 * 16; p++) {
        int n = p / 256;
        float level = batch.images()[n * 3 * 256 + p % 256] * 255;
        boolean bright = Math.abs(level - 200) < 0.5;
        boolean dark = Math.abs(level - 50) < 0.5;
        if (bright || dark) {
          assertEquals(bright ? 1 : 0, batch.labels()[p], "pixel " + p);
          agree++;
        }
      }
      assertTrue(agree > 8 * 256 / 2, "most pixels are not blends of both levels: " + agree);
    }
  }
}
