package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayBatchSourceTest {
  private static final int N = 10;

  /** Sample i is the single float i, labelled i. */
  private static ArrayBatchSource source(long seed, boolean shuffle) {
    float[][] images = new float[N][];
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      images[i] = new float[] {i};
      labels[i] = i;
    }
    return new ArrayBatchSource(images, labels, 4, seed, shuffle);
  }

  private static List<int[]> labels(BatchSource source, int epoch) {
    List<int[]> batches = new ArrayList<>();
    try (BatchSource.Cursor cursor = source.epoch(epoch)) {
      cursor.forEachRemaining(b -> batches.add(Arrays.copyOf(b.labels(), b.count())));
    }
    return batches;
  }

  @Test
  void yieldsEverySampleOncePerEpochWithARemainderBatch() {
    List<int[]> batches = labels(source(1, true), 0);
    assertEquals(List.of(4, 4, 2), batches.stream().map(b -> b.length).toList());
    int[] all = batches.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
    assertEquals(3, source(1, true).batchesPerEpoch().getAsLong());
  }

  @Test
  void orderDependsOnlyOnSeedAndEpoch() {
    assertArrayEquals(source(1, true).order(3), source(1, true).order(3));
    assertFalse(Arrays.equals(source(1, true).order(3), source(1, true).order(4)));
    assertFalse(Arrays.equals(source(1, true).order(3), source(2, true).order(3)));
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, source(1, false).order(3));
  }

  @Test
  void imagesFollowTheirLabels() {
    try (BatchSource.Cursor cursor = source(5, true).epoch(0)) {
      ImageBatch batch = cursor.next();
      for (int i = 0; i < batch.count(); i++) {
        assertEquals(batch.labels()[i], batch.images()[i], 0f);
      }
    }
  }
}
