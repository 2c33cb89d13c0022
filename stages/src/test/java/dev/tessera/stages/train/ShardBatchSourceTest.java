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
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardBatchSourceTest {
  @TempDir Path dir;

  /** Shards of the given sizes, in record batches of 1024 rows. */
  private List<ShardInfo> shards(int... sizes) throws Exception {
    return shardsInBatchesOf(1024, sizes);
  }

  /**
   * Shards of 1x2x2 float images whose pixels are {n, n + 1/4, n + 1/2, n + 3/4} for sample number n (numbered across
   * shards); label = n % 10.
   */
  private List<ShardInfo> shardsInBatchesOf(int rowsPerBatch, int... sizes) throws Exception {
    List<ShardInfo> out = new ArrayList<>();
    int number = 0;
    Files.createDirectories(dir.resolve("train"));
    for (int s = 0; s < sizes.length; s++) {
      String name = "train/train-" + s + ".arrow";
      try (ShardWriter writer = ShardWriter.create(dir.resolve(name),
          ShardWriterSettings.of("numbers", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"))
              .withRowsPerBatch(rowsPerBatch))) {
        for (int i = 0; i < sizes[s]; i++, number++) {
          float v = number;
          Sample sample = Sample.ofUint8("numbers/" + number, new byte[4], 2, 2, 1, Layout.HWC, number % 10, "test",
              "train").withPixels(new float[] {v, v + 0.25f, v + 0.5f, v + 0.75f}, 2, 2, 1, Layout.CHW);
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
          for (int k = 1; k < 4; k++) {
            assertEquals(number + k / 4f, batch.images()[i * 4 + k], "pixel " + k + " of sample " + number);
          }
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
  void aHoldoutSplitsTheRowsIntoTwoDisjointSeededParts() throws Exception {
    List<ShardInfo> shards = shards(300, 200);
    ShardBatchSource train = new ShardBatchSource(dir, shards, 4, 16, 42, true, 4,
        new ShardBatchSource.Holdout(7, 0.2, false));
    ShardBatchSource validation = new ShardBatchSource(dir, shards, 4, 16, 42, false, 1,
        new ShardBatchSource.Holdout(7, 0.2, true));
    List<Integer> trained = epoch(train, 0, new ArrayList<>());
    List<Integer> held = epoch(validation, 0, new ArrayList<>());
    assertEquals(train.samples(), trained.size());
    assertEquals(validation.samples(), held.size());
    List<Integer> all = new ArrayList<>(trained);
    all.addAll(held);
    assertEquals(IntStream.range(0, 500).boxed().toList(), all.stream().sorted().toList(), "disjoint and complete");
    assertTrue(held.size() > 70 && held.size() < 130, "about 20% of 500 held out: " + held.size());
    assertEquals(held.stream().sorted().toList(), held, "validation reads in manifest order");
    assertEquals(held, epoch(new ShardBatchSource(dir, shards, 4, 16, 1, false, 1,
        new ShardBatchSource.Holdout(7, 0.2, true)), 3, new ArrayList<>()), "the holdout's seed alone decides");
    assertNotEquals(held, epoch(new ShardBatchSource(dir, shards, 4, 16, 42, false, 1,
        new ShardBatchSource.Holdout(8, 0.2, true)), 0, new ArrayList<>()));
  }

  @Test
  void withoutShufflingReadsInManifestOrder() throws Exception {
    ShardBatchSource source = new ShardBatchSource(dir, shards(3, 2), 4, 2, 42, false);
    assertArrayEquals(new Object[] {0, 1, 2, 3, 4}, epoch(source, 5, new ArrayList<>()).toArray());
  }

  /** A batch's used part, copied. */
  private record Copy(List<Float> images, List<Integer> labels) {
    static Copy of(ImageBatch batch) {
      List<Float> images = new ArrayList<>();
      for (int i = 0; i < batch.count() * 4; i++) {
        images.add(batch.images()[i]);
      }
      return new Copy(images, Arrays.stream(batch.labels(), 0, batch.count()).boxed().toList());
    }
  }

  /** The batches of one epoch, copied; each released after copying when {@code release}. */
  private static List<Copy> read(BatchSource source, int epoch, boolean release) {
    List<Copy> out = new ArrayList<>();
    try (BatchSource.Cursor cursor = source.epoch(epoch)) {
      while (cursor.hasNext()) {
        ImageBatch batch = cursor.next();
        out.add(Copy.of(batch));
        if (release) {
          cursor.release(batch);
        }
      }
    }
    return out;
  }

  @Test
  void mappingsKeptAcrossEpochsGiveTheSameBatchesAsFreshSources() throws Exception {
    // Record batches of 3 rows, so that runs of consecutive rows cross batch boundaries.
    List<ShardInfo> shards = shardsInBatchesOf(3, 7, 6, 5);
    for (int block : new int[] {1, 4}) {
      for (boolean shuffle : new boolean[] {true, false}) {
        try (ShardBatchSource reused = new ShardBatchSource(dir, shards, 4, 4, 42, shuffle, block)) {
          for (int epoch = 0; epoch < 4; epoch++) {
            List<Copy> again = read(reused, epoch, true);
            try (ShardBatchSource fresh = new ShardBatchSource(dir, shards, 4, 4, 42, shuffle, block)) {
              assertEquals(read(fresh, epoch, false), again, "epoch " + epoch + ", block " + block + ", shuffle "
                  + shuffle);
            }
          }
        }
      }
    }
  }

  @Test
  void unreleasedBatchesAreNeverRefilledAndReleasedOnesAre() throws Exception {
    List<ShardInfo> shards = shards(7, 6);
    try (ShardBatchSource source = new ShardBatchSource(dir, shards, 4, 2, 42, true)) {
      List<Copy> expected = read(source, 0, false);
      try (BatchSource.Cursor cursor = source.epoch(0)) {
        // Keep every other batch; release the rest at once. Kept batches must keep their contents to the end.
        Map<ImageBatch, Copy> kept = new IdentityHashMap<>();
        Set<float[]> everSeen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<float[]> free = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Copy> seen = new ArrayList<>();
        for (int i = 0; cursor.hasNext(); i++) {
          ImageBatch batch = cursor.next();
          if (free.isEmpty()) {
            assertTrue(everSeen.add(batch.images()), "batch " + i + " reuses an array that was not released");
          } else {
            assertTrue(free.remove(batch.images()), "batch " + i + " takes a new array while one is released");
          }
          seen.add(Copy.of(batch));
          if (i % 2 == 0) {
            kept.put(batch, Copy.of(batch));
          } else {
            cursor.release(batch);
            free.add(batch.images());
          }
        }
        assertEquals(expected, seen);
        kept.forEach((batch, copy) -> assertEquals(copy, Copy.of(batch), "a kept batch was overwritten"));
      }
    }
  }

  @Test
  void releasingABatchTwiceOrAForeignOneFails() throws Exception {
    List<ShardInfo> shards = shards(7, 6);
    try (ShardBatchSource source = new ShardBatchSource(dir, shards, 4, 4, 42, true);
        BatchSource.Cursor cursor = source.epoch(0)) {
      ImageBatch batch = cursor.next();
      cursor.release(batch);
      assertThrows(IllegalArgumentException.class, () -> cursor.release(batch));
      ImageBatch foreign = new ImageBatch(new float[16], new int[4], 4);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cursor.release(foreign));
      assertTrue(e.getMessage().startsWith("release(batch): this batch's arrays are not out from this source"),
          e.getMessage());
    }
  }

  @Test
  void aConsumerThatReleasesThroughThePrefetcherAllocatesOnlyWhatIsInFlight() throws Exception {
    List<ShardInfo> shards = shards(40, 33);
    try (ShardBatchSource direct = new ShardBatchSource(dir, shards, 4, 4, 42, true);
        ShardBatchSource delegate = new ShardBatchSource(dir, shards, 4, 4, 42, true);
        PrefetchingBatchSource prefetching = new PrefetchingBatchSource(delegate, 2)) {
      for (int epoch = 0; epoch < 5; epoch++) {
        assertEquals(read(direct, epoch, false), read(prefetching, epoch, true), "epoch " + epoch);
      }
      // 19 batches an epoch, 95 in all: at most the queue (2), the producer's and the consumer's batch, and one
      // taken by a producer that a closing cursor stopped, are ever out at once.
      assertTrue(delegate.allocatedBatches() <= 5, delegate.allocatedBatches() + " batch arrays allocated");
    }
  }

  @Test
  void blockShuffleVisitsEveryRowOnceInRunsThatMoveBetweenEpochs() throws Exception {
    List<ShardInfo> shards = shards(50);
    try (ShardBatchSource source = new ShardBatchSource(dir, shards, 4, 8, 42, true, 4)) {
      List<List<Integer>> orders = new ArrayList<>();
      for (int epoch = 0; epoch < 3; epoch++) {
        List<Integer> order = epoch(source, epoch, new ArrayList<>());
        assertEquals(IntStream.range(0, 50).boxed().toList(), order.stream().sorted().toList());
        // Runs of consecutive rows: at most 14 blocks (50 rows cut at an offset into blocks of 4), 13 seams.
        int breaks = 0;
        for (int i = 1; i < order.size(); i++) {
          if (order.get(i) != order.get(i - 1) + 1) {
            breaks++;
          }
        }
        assertTrue(breaks <= 13 && breaks >= 5, "epoch " + epoch + ": " + breaks + " breaks in " + order);
        orders.add(order);
      }
      assertNotEquals(orders.get(0), orders.get(1));
      assertNotEquals(orders.get(1), orders.get(2));
      try (ShardBatchSource again = new ShardBatchSource(dir, shards, 4, 8, 42, true, 4)) {
        assertEquals(orders.get(2), epoch(again, 2, new ArrayList<>()), "a pure function of (seed, epoch)");
      }
    }
  }

  @Test
  void rejectsNonPositiveShuffleBlock() throws Exception {
    List<ShardInfo> shards = shards(3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ShardBatchSource(dir, shards, 4, 2, 42, true, 0));
    assertEquals("shuffleBlockRows must be >= 1 (1 shuffles single rows), but was 0", e.getMessage());
  }

  @Test
  void skipsEmptyShards() throws Exception {
    List<ShardInfo> shards = shards(0, 3, 0, 2, 0);
    try (ShardBatchSource source = new ShardBatchSource(dir, shards, 4, 2, 42, false)) {
      List<Integer> sizes = new ArrayList<>();
      assertEquals(List.of(0, 1, 2, 3, 4), epoch(source, 0, sizes));
      assertEquals(List.of(2, 2, 1), sizes);
    }
  }

  @Test
  void closeUnmapsTheShardsAndFailsCursorsStillOpen() throws Exception {
    Path maps = Path.of("/proc/self/maps");
    Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc/self/maps to see the mappings");
    List<ShardInfo> shards = shards(7, 6);
    ShardBatchSource source = new ShardBatchSource(dir, shards, 4, 4, 42, true);
    read(source, 0, true);
    BatchSource.Cursor open = source.epoch(1);
    open.next();
    for (ShardInfo shard : shards) {
      assertTrue(Files.readString(maps).contains(dir.resolve(shard.file()).toString()), shard.file() + " mapped");
    }
    source.close();
    String after = Files.readString(maps);
    for (ShardInfo shard : shards) {
      assertFalse(after.contains(dir.resolve(shard.file()).toString()), shard.file() + " still mapped after close");
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, open::next);
    assertTrue(e.getMessage().contains("was closed while this cursor was still being read"), e.getMessage());
  }
}
