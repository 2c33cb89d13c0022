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

  /** One pass over the data; close it even when not read to the end. */
  interface Cursor extends Iterator<ImageBatch>, AutoCloseable {
    @Override
    void close();
  }
}
