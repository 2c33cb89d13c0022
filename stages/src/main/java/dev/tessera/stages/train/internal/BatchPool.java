package dev.tessera.stages.train.internal;

import dev.tessera.stages.train.ImageBatch;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Batch arrays of one shape for a source to fill again once the consumer hands them back, so that reading does
 * not allocate (and the JVM does not zero) a new array per batch.
 *
 * <p>Safety rule: an array pair is in exactly one place, handed out ({@link #take()} returned it and
 * {@link #give(ImageBatch)} has not had it back) or free; only free pairs are handed out, and giving back a pair
 * that is not out (never handed out here, or given back twice) throws. Pairs that the consumer never gives back are
 * tracked weakly, so they are garbage collected as usual. Thread-safe: consumers may give batches back from any
 * thread.
 */
public final class BatchPool {
  /** Free pairs kept at most; more are left to the garbage collector. */
  private static final int MAX_FREE = 16;

  private final int imageFloats;
  private final int labelInts;
  private final ArrayDeque<Slot> free = new ArrayDeque<>();
  /** Handed-out image arrays (keys compared by identity: arrays do not override equals) and their label arrays. */
  private final Map<float[], int[]> out = new WeakHashMap<>();
  private long allocated;

  /** One batch's arrays. */
  public record Slot(float[] images, int[] labels) {}

  /**
   * @param batchSize samples per batch, >= 1
   * @param elementsPerImage floats per sample, >= 1
   */
  public BatchPool(int batchSize, int elementsPerImage) {
    this(batchSize, elementsPerImage, 1);
  }

  /**
   * @param batchSize samples per batch, >= 1
   * @param elementsPerImage floats per sample, >= 1
   * @param labelsPerSample labels per sample, >= 1: 1 for a class per image, {@code H * W} for a class per pixel
   */
  public BatchPool(int batchSize, int elementsPerImage, int labelsPerSample) {
    if (batchSize < 1 || elementsPerImage < 1 || labelsPerSample < 1) {
      throw new IllegalArgumentException("batchSize, elementsPerImage and labelsPerSample must be >= 1, but were "
          + batchSize + ", " + elementsPerImage + " and " + labelsPerSample);
    }
    this.imageFloats = Math.multiplyExact(batchSize, elementsPerImage);
    this.labelInts = Math.multiplyExact(batchSize, labelsPerSample);
  }

  /** A free pair, or a new one when none is free; it counts as handed out from now on. */
  public synchronized Slot take() {
    Slot slot = free.poll();
    if (slot == null) {
      slot = new Slot(new float[imageFloats], new int[labelInts]);
      allocated++;
    }
    out.put(slot.images(), slot.labels());
    return slot;
  }

  /**
   * Takes a batch's arrays back for a later {@link #take()}.
   *
   * @throws IllegalArgumentException when the batch's arrays are not handed out by this pool (already given back,
   *     or never taken from it)
   */
  public synchronized void give(ImageBatch batch) {
    int[] labels = out.get(batch.images());
    if (labels == null || labels != batch.labels()) {
      throw new IllegalArgumentException("release(batch): this batch's arrays are not out from this source (released"
          + " twice, or yielded by another source); a released batch must not be used or released again");
    }
    out.remove(batch.images());
    if (free.size() < MAX_FREE) {
      free.push(new Slot(batch.images(), labels));
    }
  }

  /** Array pairs allocated so far (for tests and diagnostics). */
  public synchronized long allocated() {
    return allocated;
  }
}
