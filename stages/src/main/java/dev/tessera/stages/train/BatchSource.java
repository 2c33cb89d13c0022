package dev.tessera.stages.train;

import java.util.Iterator;
import java.util.OptionalLong;

/**
 * Batches of images for the trainer, one pass per epoch.
 *
 * <p>Guarantee: for the same source (same data and seed) and the same epoch number, {@link #epoch} yields the same
 * batches in the same order; shuffling between epochs is the source's job. Every sample appears once per epoch.
 */
public interface BatchSource extends AutoCloseable {

  /**
   * Opens one pass over the data.
   *
   * @param epoch the epoch number, 0-based; sources derive their shuffle from (seed, epoch)
   */
  Cursor epoch(int epoch);

  /** Batches per epoch if known, for progress reporting. */
  default OptionalLong batchesPerEpoch() {
    return OptionalLong.empty();
  }

  /** Releases resources such as files or threads; the default does nothing. */
  @Override
  default void close() {}

  /**
   * One pass over the data; close it even when not read to the end.
   *
   * <p>Batch ownership: a batch from {@link #next()} belongs to the consumer until the consumer passes it to
   * {@link #release(ImageBatch)}; a source never writes into a batch it has handed out and not had back.
   */
  interface Cursor extends Iterator<ImageBatch>, AutoCloseable {
    @Override
    void close();

    /**
     * Hands a batch's arrays back once the consumer is done with them (for example right after copying them into a
     * tensor), so the source may fill them again for a later batch instead of allocating new ones. After this call
     * the consumer must not read or keep the batch. Optional: a consumer that never releases just gets fresh arrays.
     * Release each batch at most once, only to the cursor (or a wrapper of the cursor) that yielded it; it may be
     * called from any thread, also after the cursor is closed. The default does nothing.
     */
    default void release(ImageBatch batch) {}
  }
}
