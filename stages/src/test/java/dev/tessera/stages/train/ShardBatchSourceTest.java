package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardBatchSourceTest {
  @TempDir Path dir;

  /** Two shards of 1x2x2 float images whose every pixel equals the sample number; label = number % 10. */
  private List<ShardInfo> shards(int... sizes) throws Exception {
    List<ShardInfo> out = new ArrayList<>();
    int number = 0;
    Files.createDirectories(dir.resolve("train"));
    for (int s = 0; s < sizes.length; s++) {
      String name = "train/train-" + s + ".arrow";
      try (ShardWriter writer = ShardWriter.create(dir.resolve(name),
          ShardWriterSettings.of("numbers", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")))) {
        for (int i = 0; i < sizes[s]; i++, number++) {
          float v = number;
          Sample sample = Sample.ofUint8("numbers/" + number, new byte[4], 2, 2, 1, Layout.HWC, number % 10, "test",
              "train").withPixels(new float[] {v, v, v, v}, 2, 2, 1, Layout.CHW);
          writer.write(sample);
        }
        ShardInfo info = writer.finish();
        out.add(new ShardInfo(name, info.rows(), info.sha256()));
      }
    }
    return out;
  }

  private static List<Integer> epoch(ShardBatchSource source, int epoch, List<Integer> batchSizes) {
    List<Integer> seen = new ArrayList<>();
    try (BatchSource.Cursor cursor = source.epoch(epoch)) {
      while (cursor.hasNext()) {
        ImageBatch batch = cursor.next();
        batchSizes.add(batch.count());
        for (int i = 0; i < batch.count(); i++) {
          int number = (int) batch.images()[i * 4];
          assertEquals(number % 10, batch.labels()[i], "label travels with its image");
          seen.add(number);
        }
      }
    }
    return seen;
  }

  @Test
  void everySampleOncePerEpochInFullBatchesAcrossShards() throws Exception {
    ShardBatchSource source = new ShardBatchSource(dir, shards(7, 6), 4, 4, 42, true);
    List<Integer> sizes = new ArrayList<>();
    List<Integer> seen = epoch(source, 0, sizes);
    assertEquals(IntStream.range(0, 13).boxed().toList(), seen.stream().sorted().toList());
    assertEquals(List.of(4, 4, 4, 1), sizes, "batches span shards; only the last is partial");
    assertEquals(4, source.batchesPerEpoch().orElseThrow());
  }

  @Test
  void orderIsAPureFunctionOfSeedAndEpoch() throws Exception {
    List<ShardInfo> shards = shards(7, 6);
    List<Integer> a = epoch(new ShardBatchSource(dir, shards, 4, 4, 42, true), 1, new ArrayList<>());
    List<Integer> b = epoch(new ShardBatchSource(dir, shards, 4, 4, 42, true), 1, new ArrayList<>());
    List<Integer> otherEpoch = epoch(new ShardBatchSource(dir, shards, 4, 4, 42, true), 2, new ArrayList<>());
    List<Integer> otherSeed = epoch(new ShardBatchSource(dir, shards, 4, 4, 7, true), 1, new ArrayList<>());
    assertEquals(a, b);
    assertNotEquals(a, otherEpoch);
    assertNotEquals(a, otherSeed);
  }

  @Test
  void withoutShufflingReadsInManifestOrder() throws Exception {
    ShardBatchSource source = new ShardBatchSource(dir, shards(3, 2), 4, 2, 42, false);
    assertArrayEquals(new Object[] {0, 1, 2, 3, 4}, epoch(source, 5, new ArrayList<>()).toArray());
  }
}
