package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.preprocess.PreprocessSpec;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's online path against the offline one, and its determinism. */
class OnlineBatchSourceTest {
  private static final List<Double> MEAN = List.of(0.485, 0.456, 0.406);
  private static final List<Double> STD = List.of(0.229, 0.224, 0.225);
  private static final int SIDE = 16;
  private static final int ELEMENTS = 3 * SIDE * SIDE;

  @TempDir Path dir;
  private final List<Sample> written = new ArrayList<>();

  /** Shards of random 3-channel uint8 images of varied sizes; label = sample number % 10. */
  private List<ShardInfo> shards(int... sizes) throws Exception {
    List<ShardInfo> out = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(1);
    int number = 0;
    Files.createDirectories(dir.resolve("train"));
    for (int s = 0; s < sizes.length; s++) {
      String name = "train/train-" + s + ".arrow";
      try (ShardWriter writer = ShardWriter.create(dir.resolve(name),
          ShardWriterSettings.of("random", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")))) {
        for (int i = 0; i < sizes[s]; i++, number++) {
          int h = 18 + random.nextInt(12);
          int w = 18 + random.nextInt(12);
          byte[] pixels = new byte[h * w * 3];
          random.nextBytes(pixels);
          Sample sample = Sample.ofUint8("random/" + number, pixels, h, w, 3, Layout.HWC, number % 10, "test",
              "train");
          writer.write(sample);
          written.add(sample);
        }
        ShardInfo info = writer.finish();
        out.add(new ShardInfo(name, info.rows(), info.sha256()));
      }
    }
    return out;
  }

  private static List<float[]> images(BatchSource source, int epoch, List<Integer> labels) {
    List<float[]> images = new ArrayList<>();
    try (BatchSource.Cursor cursor = source.epoch(epoch)) {
      while (cursor.hasNext()) {
        ImageBatch batch = cursor.next();
        for (int i = 0; i < batch.count(); i++) {
          images.add(Arrays.copyOfRange(batch.images(), i * ELEMENTS, (i + 1) * ELEMENTS));
          labels.add(batch.labels()[i]);
        }
      }
    }
    return images;
  }

  @Test
  void withoutAugmentationItGivesExactlyThePreprocessStagesFloats() throws Exception {
    List<ShardInfo> shards = shards(5, 4);
    OnlineSpec online = new OnlineSpec(SIDE, SIDE, MEAN, STD, 0, 1);
    List<Integer> labels = new ArrayList<>();
    List<float[]> got = images(new OnlineBatchSource(dir, shards, online, 3, 4, 42, false), 0, labels);

    var offline = new Preprocess(new PreprocessSpec(SIDE, SIDE, Interpolation.BILINEAR, MEAN, STD)).function();
    assertEquals(written.size(), got.size());
    for (int i = 0; i < written.size(); i++) {
      assertArrayEquals(offline.apply(written.get(i)).floatPixels(), got.get(i), "sample " + i);
      assertEquals(written.get(i).label(), labels.get(i));
    }
  }

  @Test
  void holdoutSplitsTheRowsExactlyAsTheFloatShardPathDoes() throws Exception {
    List<ShardInfo> shards = shards(9, 8);
    OnlineSpec online = new OnlineSpec(SIDE, SIDE, MEAN, STD, 0, 1);
    List<float[]> all = images(new OnlineBatchSource(dir, shards, online, 3, 4, 42, false), 0, new ArrayList<>());
    ShardBatchSource.Holdout kept = new ShardBatchSource.Holdout(42, 0.3, false);
    OnlineBatchSource train = new OnlineBatchSource(dir, shards, online, 3, 4, 42, false, kept, false);
    OnlineBatchSource validation = new OnlineBatchSource(dir, shards, online, 3, 4, 42, false,
        new ShardBatchSource.Holdout(42, 0.3, true), false);

    List<float[]> expectedTrain = new ArrayList<>();
    List<float[]> expectedValidation = new ArrayList<>();
    int index = 0;
    for (ShardInfo shard : shards) {
      for (int row = 0; row < shard.rows(); row++) {
        (kept.reads(shard.file(), row) ? expectedTrain : expectedValidation).add(all.get(index++));
      }
    }
    assertFalse(expectedValidation.isEmpty(), "0.3 of 17 rows holds some out");
    assertEquals(expectedTrain.size(), train.samples());
    assertEquals(expectedValidation.size(), validation.samples());
    List<float[]> trained = images(train, 0, new ArrayList<>());
    List<float[]> validated = images(validation, 0, new ArrayList<>());
    assertEquals(expectedTrain.size(), trained.size());
    assertEquals(expectedValidation.size(), validated.size());
    for (int i = 0; i < trained.size(); i++) {
      assertArrayEquals(expectedTrain.get(i), trained.get(i), "trained sample " + i);
    }
    for (int i = 0; i < validated.size(); i++) {
      assertArrayEquals(expectedValidation.get(i), validated.get(i), "held-out sample " + i);
    }
  }

  @Test
  void shuffledEpochHoldsEverySampleOnceWithItsLabel() throws Exception {
    List<ShardInfo> shards = shards(7, 6);
    OnlineSpec online = new OnlineSpec(SIDE, SIDE, MEAN, STD, 0, 1);
    List<float[]> inOrder = images(new OnlineBatchSource(dir, shards, online, 3, 4, 42, false), 0, new ArrayList<>());
    List<Integer> labels = new ArrayList<>();
    List<float[]> shuffled = images(new OnlineBatchSource(dir, shards, online, 3, 4, 42, true), 0, labels);
    assertEquals(13, shuffled.size());
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < shuffled.size(); i++) {
      int found = -1;
      for (int j = 0; j < inOrder.size(); j++) {
        if (Arrays.equals(inOrder.get(j), shuffled.get(i))) {
          found = j;
        }
      }
      assertTrue(found >= 0, "image " + i + " comes from the dataset");
      assertEquals(found % 10, labels.get(i), "label travels with its image");
      positions.add(found);
    }
    assertEquals(13, positions.stream().distinct().count(), "every sample exactly once");
    assertNotEquals(positions.stream().sorted().toList(), positions, "shuffled");
  }

  @Test
  void augmentationIsAPureFunctionOfSeedEpochAndSampleAndChangesEveryEpoch() throws Exception {
    List<ShardInfo> shards = shards(6, 5);
    OnlineSpec online = new OnlineSpec(SIDE, SIDE, MEAN, STD, 0.5, 0.5);
    List<float[]> a = images(new OnlineBatchSource(dir, shards, online, 3, 4, 42, true), 1, new ArrayList<>());
    List<float[]> b = images(new OnlineBatchSource(dir, shards, online, 3, 4, 42, true), 1, new ArrayList<>());
    List<float[]> epoch2 = images(new OnlineBatchSource(dir, shards, online, 3, 4, 42, true), 2, new ArrayList<>());
    List<float[]> seed7 = images(new OnlineBatchSource(dir, shards, online, 3, 4, 7, true), 1, new ArrayList<>());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i), "same seed and epoch, same floats");
    }
    assertFalse(sameSet(a, epoch2), "a new epoch draws new augmentations");
    assertFalse(sameSet(a, seed7), "another seed draws other augmentations");

    // Unshuffled, each sample's augmented image differs from its plain one (crop or flip happened for most).
    List<float[]> plain = images(new OnlineBatchSource(dir, shards, new OnlineSpec(SIDE, SIDE, MEAN, STD, 0, 1), 3,
        4, 42, false), 1, new ArrayList<>());
    List<float[]> augmented = images(new OnlineBatchSource(dir, shards, online, 3, 4, 42, false), 1,
        new ArrayList<>());
    long changed = 0;
    for (int i = 0; i < plain.size(); i++) {
      changed += Arrays.equals(plain.get(i), augmented.get(i)) ? 0 : 1;
    }
    assertTrue(changed >= plain.size() - 1, changed + " of " + plain.size() + " changed");
  }

  @Test
  void floatShardsAndWrongChannelCountsAreRefusedWithTheWayOut() throws Exception {
    List<ShardInfo> shards = shards(3);
    OnlineSpec online = new OnlineSpec(SIDE, SIDE, MEAN, STD, 0, 1);
    IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
        () -> images(new OnlineBatchSource(dir, shards, online, 1, 4, 42, true), 0, new ArrayList<>()));
    assertTrue(channels.getMessage().startsWith("train.model takes 1-channel images, but sample 'random/"),
        channels.getMessage());
    assertTrue(channels.getMessage().endsWith("has 3 channels. Set the model input channels to 3."),
        channels.getMessage());

    Path floats = dir.resolve("train/floats.arrow");
    ShardInfo info;
    try (ShardWriter writer = ShardWriter.create(floats, ShardWriterSettings.of("f", List.of("0")))) {
      writer.write(Sample.ofUint8("f/0", new byte[4], 2, 2, 1, Layout.HWC, 0, "test", "train")
          .withPixels(new float[] {1, 2, 3, 4}, 2, 2, 1, Layout.CHW));
      info = writer.finish();
    }
    List<ShardInfo> floatShards = List.of(new ShardInfo("train/floats.arrow", info.rows(), info.sha256()));
    IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class, () -> images(
        new OnlineBatchSource(dir, floatShards, new OnlineSpec(2, 2, List.of(0.5), List.of(0.5), 0, 1), 1, 4, 42,
            true), 0, new ArrayList<>()));
    assertEquals("train.online prepares uint8 HWC images (an ingest output), but sample 'f/0' of shard "
        + "train/floats.arrow is FLOAT32 CHW. Train on the ingest stage's output, or drop train.online to train on "
        + "preprocessed float shards.", dtype.getMessage());
  }

  @Test
  void specNamesTheParameterAndTheAllowedRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OnlineSpec(SIDE, SIDE, MEAN, STD, 1.5, 1));
    assertEquals("train.online.flipProbability must be in [0, 1], but was 1.5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new OnlineSpec(SIDE, SIDE, MEAN, STD, 0, 0));
    assertEquals("train.online.minCropScale must be in (0, 1] (1 = no crop), but was 0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TrainSpec.defaults(Models.lenet().withInput(1, 32, 32))
        .withOnline(OnlineSpec.resizeNormalize(28, 28, 0.5, 0.5)));
    assertTrue(e.getMessage().startsWith("train.online resizes to 28x28 (WxH), but train.model takes 32x32"),
        e.getMessage());
  }

  private static boolean sameSet(List<float[]> a, List<float[]> b) {
    for (float[] x : a) {
      boolean found = false;
      for (float[] y : b) {
        found |= Arrays.equals(x, y);
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
