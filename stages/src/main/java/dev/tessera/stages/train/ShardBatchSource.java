package dev.tessera.stages.train;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Streams training batches from Arrow shards, one shard in memory at a time, so memory stays bounded by the shard
 * size whatever the dataset size.
 *
 * <p>With shuffling on, each epoch visits the shards in an order drawn from (seed, epoch) and the rows of each
 * shard in an order drawn from (seed, epoch, shard); batches span shard boundaries, so every batch is full except
 * the epoch's last. The same seed and epoch always give the same batches. Wrap it in a
 * {@link PrefetchingBatchSource} so the trainer never waits on reading.
 *
 * <p>The current shard is memory-mapped ({@link ShardImages}), so each image is copied once, straight from the
 * mapped file into its batch's array.
 */
public final class ShardBatchSource implements BatchSource {
  private final Path datasetDir;
  private final List<ShardInfo> shards;
  private final int elementsPerImage;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;

  /**
   * @param datasetDir the dataset artifact's directory
   * @param shards the shards to read (file paths relative to {@code datasetDir}), for example one split's
   * @param elementsPerImage C*H*W of every image
   * @param batchSize samples per batch
   * @param seed the shuffling seed
   * @param shuffle false to read in manifest order (evaluation)
   */
  public ShardBatchSource(Path datasetDir, List<ShardInfo> shards, int elementsPerImage, int batchSize, long seed,
      boolean shuffle) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no shards to read in " + datasetDir);
    }
    this.datasetDir = datasetDir;
    this.shards = List.copyOf(shards);
    this.elementsPerImage = elementsPerImage;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
  }

  /** Total samples in one epoch. */
  public long samples() {
    return shards.stream().mapToLong(ShardInfo::rows).sum();
  }

  @Override
  public OptionalLong batchesPerEpoch() {
    return OptionalLong.of((samples() + batchSize - 1) / batchSize);
  }

  @Override
  public Cursor epoch(int epoch) {
    List<ShardInfo> order = new ArrayList<>(shards);
    if (shuffle) {
      java.util.Collections.shuffle(order, new Random(mix(seed, epoch, -1)));
    }
    return new ShardCursor(order, epoch);
  }

  private static long mix(long seed, int epoch, int shard) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + shard;
    return h ^ (h >>> 29);
  }

  private final class ShardCursor implements Cursor {
    private final List<ShardInfo> order;
    private final int epoch;
    private int nextShard;
    private ShardImages shard;
    private String shardFile;
    private int[] rowOrder = new int[0];
    private int rows;
    private int position;

    ShardCursor(List<ShardInfo> order, int epoch) {
      this.order = order;
      this.epoch = epoch;
    }

    @Override
    public boolean hasNext() {
      return position < rows || nextShard < order.size();
    }

    @Override
    public ImageBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("epoch " + epoch + " has no more batches");
      }
      float[] batchImages = new float[batchSize * elementsPerImage];
      int[] batchLabels = new int[batchSize];
      int count = 0;
      while (count < batchSize) {
        if (position == rows) {
          if (nextShard == order.size()) {
            break;
          }
          load(order.get(nextShard), nextShard++);
        }
        int row = rowOrder[position++];
        int copied = shard.copyImageAsFloat(row, batchImages, count * elementsPerImage, 1.0f);
        if (copied != elementsPerImage) {
          throw new IllegalStateException("shard " + shardFile + ": row " + row + " has " + copied
              + " elements, but the model takes " + elementsPerImage + " (C*H*W)");
        }
        batchLabels[count++] = shard.label(row, -1);
      }
      if (position == rows && nextShard == order.size()) {
        closeShard();
      }
      return new ImageBatch(batchImages, batchLabels, count);
    }

    private void load(ShardInfo info, int index) {
      closeShard();
      Path file = datasetDir.resolve(info.file());
      try {
        shard = ShardImages.open(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read shard " + file, e);
      }
      shardFile = info.file();
      int n = shard.rowCount();
      if (n != info.rows()) {
        throw new IllegalStateException("shard " + info.file() + " has " + n + " rows, but its manifest says "
            + info.rows());
      }
      for (int i = 0; i < n; i++) {
        if (shard.label(i, -1) < 0) {
          throw new IllegalStateException("shard " + info.file() + ": row " + i + " has no label; training a "
              + "classifier needs a label on every sample");
        }
      }
      rowOrder = new int[n];
      for (int i = 0; i < n; i++) {
        rowOrder[i] = i;
      }
      if (shuffle) {
        Random random = new Random(mix(seed, epoch, index));
        for (int i = n - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int swap = rowOrder[i];
          rowOrder[i] = rowOrder[j];
          rowOrder[j] = swap;
        }
      }
      rows = n;
      position = 0;
    }

    private void closeShard() {
      if (shard != null) {
        shard.close();
        shard = null;
      }
    }

    @Override
    public void close() {
      closeShard();
      rows = 0;
      position = 0;
      nextShard = order.size();
    }
  }
}
