package dev.tessera.stages.train;

import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * An in-memory {@link BatchSource} over samples held as arrays, shuffled per epoch with a permutation derived
 * only from {@code (seed, epoch)}.
 *
 * <pre>{@code
 * BatchSource train = new ArrayBatchSource(images, labels, 128, seed, true);  // images[i]: CHW floats
 * }</pre>
 *
 * <p>Batches are freshly allocated arrays; the last batch of an epoch holds the remainder (never dropped).
 */
public final class ArrayBatchSource implements BatchSource {
  private final float[][] images;
  private final int[] labels;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final int sampleSize;

  /**
   * @param images one CHW float array per sample, all of the same length; not copied (do not modify)
   * @param labels one class index per sample
   * @param batchSize samples per batch, >= 1
   * @param seed the shuffle seed
   * @param shuffle whether to shuffle per epoch (false: the given order every epoch, as for validation)
   */
  public ArrayBatchSource(float[][] images, int[] labels, int batchSize, long seed, boolean shuffle) {
    if (images.length != labels.length) {
      throw new IllegalArgumentException(
          "images and labels must have the same length, but had " + images.length + " and " + labels.length);
    }
    if (images.length == 0) {
      throw new IllegalArgumentException("images must hold at least one sample, but was empty");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, but was " + batchSize);
    }
    this.sampleSize = images[0].length;
    for (int i = 0; i < images.length; i++) {
      if (images[i].length != sampleSize) {
        throw new IllegalArgumentException(
            "images[" + i + "] has " + images[i].length + " values, but images[0] has " + sampleSize);
      }
    }
    this.images = images;
    this.labels = labels;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
  }

  @Override
  public OptionalLong batchesPerEpoch() {
    return OptionalLong.of((images.length + batchSize - 1) / batchSize);
  }

  /** The sample order of an epoch: identity without shuffling, else a Fisher-Yates permutation. */
  int[] order(int epoch) {
    int[] order = new int[images.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      // A golden-ratio stride separates the streams of consecutive epochs and seeds.
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  @Override
  public Cursor epoch(int epoch) {
    int[] order = order(epoch);
    return new Cursor() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < order.length;
      }

      @Override
      public ImageBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException("epoch " + epoch + " has no more batches");
        }
        int count = Math.min(batchSize, order.length - next);
        float[] x = new float[count * sampleSize];
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
          int sample = order[next + i];
          System.arraycopy(images[sample], 0, x, i * sampleSize, sampleSize);
          y[i] = labels[sample];
        }
        next += count;
        return new ImageBatch(x, y, count);
      }

      @Override
      public void close() {
        next = order.length;
      }
    };
  }
}
