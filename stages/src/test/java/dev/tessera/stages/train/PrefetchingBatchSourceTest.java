package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class PrefetchingBatchSourceTest {

  /** A source of single-sample batches labelled 0..size-1 that fails at batch failAt (never if negative). */
  private static final class CountingSource implements BatchSource {
    final int size;
    final int failAt;
    final RuntimeException failure = new UncheckedIOException(new java.io.IOException("disk gone"));
    volatile boolean cursorClosed;
    final List<ImageBatch> released = java.util.Collections.synchronizedList(new ArrayList<>());

    CountingSource(int size, int failAt) {
      this.size = size;
      this.failAt = failAt;
    }

    @Override
    public Cursor epoch(int epoch) {
      return new Cursor() {
        int next;

        @Override
        public boolean hasNext() {
          return next < size;
        }

        @Override
        public ImageBatch next() {
          if (next == failAt) {
            throw failure;
          }
          int label = epoch * 1000 + next++;
          return new ImageBatch(new float[] {label}, new int[] {label}, 1);
        }

        @Override
        public void release(ImageBatch batch) {
          released.add(batch);
        }

        @Override
        public void close() {
          cursorClosed = true;
        }
      };
    }
  }

  private static boolean prefetchThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().startsWith("tessera-prefetch-") && t.isAlive());
  }

  @Test
  void yieldsTheDelegatesBatchesInOrder() {
    CountingSource delegate = new CountingSource(50, -1);
    List<Integer> labels = new ArrayList<>();
    try (PrefetchingBatchSource source = new PrefetchingBatchSource(delegate, 3);
        BatchSource.Cursor cursor = source.epoch(2)) {
      cursor.forEachRemaining(b -> labels.add(b.labels()[0]));
      assertFalse(cursor.hasNext());
      assertThrows(NoSuchElementException.class, cursor::next);
    }
    assertEquals(50, labels.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(2000 + i, labels.get(i));
    }
    assertTrue(delegate.cursorClosed);
    assertFalse(prefetchThreadAlive());
  }

  @Test
  void propagatesTheProducersExceptionAndStopsItsThread() {
    CountingSource delegate = new CountingSource(50, 7);
    List<Integer> labels = new ArrayList<>();
    IllegalStateException e;
    try (PrefetchingBatchSource source = new PrefetchingBatchSource(delegate, 2);
        BatchSource.Cursor cursor = source.epoch(0)) {
      e = assertThrows(IllegalStateException.class, () -> cursor.forEachRemaining(b -> labels.add(b.labels()[0])));
      // hasNext() joined the producer before throwing.
      assertFalse(prefetchThreadAlive());
    }
    assertSame(delegate.failure, e.getCause());
    assertTrue(e.getMessage().startsWith("The batch source failed while prefetching epoch 0: "), e.getMessage());
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), labels);
    assertTrue(delegate.cursorClosed);
  }

  @Test
  void closingMidEpochStopsTheProducerBlockedOnAFullQueue() {
    CountingSource delegate = new CountingSource(1_000_000, -1);
    try (PrefetchingBatchSource source = new PrefetchingBatchSource(delegate, 2)) {
      BatchSource.Cursor cursor = source.epoch(0);
      assertArrayEquals(new int[] {0}, cursor.next().labels());
      cursor.close();
      assertFalse(prefetchThreadAlive());
      assertFalse(cursor.hasNext());
    }
    assertTrue(delegate.cursorClosed);
  }

  @Test
  void anInterruptedConsumerStopsTheProducer() {
    CountingSource delegate = new CountingSource(1_000_000, -1);
    try (PrefetchingBatchSource source = new PrefetchingBatchSource(delegate, 2);
        BatchSource.Cursor cursor = source.epoch(0)) {
      cursor.next();
      Thread.currentThread().interrupt();
      // take() may find a batch ready and not block; keep reading until the interrupt is noticed.
      assertThrows(java.util.concurrent.CancellationException.class, () -> {
        while (cursor.hasNext()) {
          cursor.next();
        }
      });
      assertTrue(Thread.interrupted()); // the flag is restored (and cleared here for the next tests)
      assertFalse(prefetchThreadAlive());
    }
  }

  @Test
  void rejectsNonPositiveDepth() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> new PrefetchingBatchSource(new CountingSource(1, -1), 0));
    assertEquals("prefetch depth must be >= 1, but was 0", e.getMessage());
  }

  @Test
  void releasedBatchesReachTheDelegatesCursor() {
    CountingSource delegate = new CountingSource(20, -1);
    List<ImageBatch> consumed = new ArrayList<>();
    try (PrefetchingBatchSource source = new PrefetchingBatchSource(delegate, 3);
        BatchSource.Cursor cursor = source.epoch(0)) {
      while (cursor.hasNext()) {
        ImageBatch batch = cursor.next();
        consumed.add(batch);
        if (batch.labels()[0] % 2 == 0) {
          cursor.release(batch);
        }
      }
    }
    List<ImageBatch> evens = consumed.stream().filter(b -> b.labels()[0] % 2 == 0).toList();
    assertEquals(10, delegate.released.size());
    for (int i = 0; i < evens.size(); i++) {
      assertSame(evens.get(i), delegate.released.get(i), "release " + i);
    }
  }
}
