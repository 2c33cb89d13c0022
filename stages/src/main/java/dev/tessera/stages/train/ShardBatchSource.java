package dev.tessera.stages.train;

import dev.tessera.pipelines.data.ShardImages;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.stages.train.internal.BatchPool;
import dev.tessera.transforms.augment.Randomness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.Random;

/**
 * Streams training batches from Arrow shards, copying each image once, straight from the memory-mapped shard
 * ({@link ShardImages}) into its batch's array.
 *
 * <p>With shuffling on, each epoch visits the shards in an order drawn from (seed, epoch) and the rows of each
 * shard in an order drawn from (seed, epoch, position of the shard in that order); batches span shard boundaries,
 * so every batch is full except the epoch's last. The same seed and epoch always give the same batches. Wrap it in
 * a {@link PrefetchingBatchSource} so the trainer never waits on reading.
 *
 * <p>Shuffle blocks: by default single rows are shuffled (a uniform permutation of each shard). Gathering single
 * rows from random places runs at DRAM random-access speed, about half of a sequential copy (BENCHMARKS.md, P3),
 * so {@code shuffleBlockRows} = b > 1 shuffles runs of b consecutive rows instead: the shard is cut into blocks of
 * b rows at a boundary offset drawn per (seed, epoch, shard), and the blocks are shuffled; each block is copied in
 * one piece. The price is randomness: rows that are neighbours in the shard share a batch more often. Use it only
 * when the order of the rows within a shard is unrelated to their labels and sources.
 *
 * <p>Resources: each shard is mapped when an epoch first reaches it and stays mapped until {@link #close()}, so
 * later epochs neither re-read its Arrow footer nor take page faults on it again. A mapping holds address space
 * and page-cache pages (which the kernel may evict and fault back in), not Java heap. Batch arrays are reused once
 * the consumer hands them back with {@link Cursor#release(ImageBatch)}; a consumer that never does so gets fresh
 * arrays, as before.
 *
 * <p>Threads: cursors may be read from any thread (the prefetcher reads on its own); reads of the mapped shards
 * and {@link #close()} are serialized, so closing the source while a cursor is still being read makes that cursor
 * fail with {@link IllegalStateException} rather than touch unmapped memory.
 */
public final class ShardBatchSource implements BatchSource {
  private final Path datasetDir;
  private final List<ShardInfo> shards;
  private final int elementsPerImage;
  private final int batchSize;
  private final long seed;
  private final boolean shuffle;
  private final int shuffleBlockRows;
  private final BatchPool pool;
  /** Guards {@link #open} and {@link #closed}, and every read of a mapped shard. */
  private final Object lock = new Object();
  /** Mapped shards and their labels, by index in {@link #shards}; null until first read. */
  private final OpenShard[] open;
  /** The rows read of each shard (all, or those a holdout selects), ascending. */
  private final int[][] rows;
  private final long samples;
  private boolean closed;

  /** A mapped shard with its labels read out once (and checked present). */
  private record OpenShard(ShardImages images, int[] labels) {}

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
    this(datasetDir, shards, elementsPerImage, batchSize, seed, shuffle, 1);
  }

  /**
   * As {@link #ShardBatchSource(Path, List, int, int, long, boolean)}, shuffling blocks of rows.
   *
   * <pre>{@code
   * new ShardBatchSource(dir, split.shards(), 28 * 28, 128, seed, true, 16);  // shuffle runs of 16 rows
   * }</pre>
   *
   * @param shuffleBlockRows rows per shuffle block, >= 1 (see the class comment); 1 shuffles single rows
   */
  public ShardBatchSource(Path datasetDir, List<ShardInfo> shards, int elementsPerImage, int batchSize, long seed,
      boolean shuffle, int shuffleBlockRows) {
    this(datasetDir, shards, elementsPerImage, batchSize, seed, shuffle, shuffleBlockRows, null);
  }

  /**
   * A seeded split of the rows: each row is held out with probability {@code fraction}, drawn from (seed, shard
   * file, row) alone, so the same seed holds out the same rows whatever reads them.
   *
   * @param seed the draw's seed
   * @param fraction the share held out, in [0, 1]
   * @param heldOut true for the source of the held-out rows (validation), false for the rest (training)
   */
  public record Holdout(long seed, double fraction, boolean heldOut) {
    /** Whether a source with this holdout reads row {@code row} of {@code shardFile}. */
    public boolean reads(String shardFile, int row) {
      long h = Randomness.stableHash(shardFile) * 0x9E3779B97F4A7C15L + seed;
      h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + row;
      h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL;
      double u = ((h ^ (h >>> 32)) >>> 11) * 0x1.0p-53;
      return (u < fraction) == heldOut;
    }
  }

  /**
   * As {@link #ShardBatchSource(Path, List, int, int, long, boolean, int)}, reading only the rows {@code holdout}
   * selects (null: all).
   */
  public ShardBatchSource(Path datasetDir, List<ShardInfo> shards, int elementsPerImage, int batchSize, long seed,
      boolean shuffle, int shuffleBlockRows, Holdout holdout) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no shards to read in " + datasetDir);
    }
    if (shuffleBlockRows < 1) {
      throw new IllegalArgumentException("shuffleBlockRows must be >= 1 (1 shuffles single rows), but was "
          + shuffleBlockRows);
    }
    this.shuffleBlockRows = shuffleBlockRows;
    this.datasetDir = datasetDir;
    this.shards = List.copyOf(shards);
    this.elementsPerImage = elementsPerImage;
    this.batchSize = batchSize;
    this.seed = seed;
    this.shuffle = shuffle;
    this.pool = new BatchPool(batchSize, elementsPerImage);
    this.open = new OpenShard[this.shards.size()];
    this.rows = new int[this.shards.size()][];
    long total = 0;
    for (int i = 0; i < rows.length; i++) {
      ShardInfo info = this.shards.get(i);
      int n = Math.toIntExact(info.rows());
      int[] kept = new int[n];
      int count = 0;
      for (int row = 0; row < n; row++) {
        if (holdout == null || holdout.reads(info.file(), row)) {
          kept[count++] = row;
        }
      }
      rows[i] = Arrays.copyOf(kept, count);
      total += count;
    }
    if (total == 0) {
      throw new IllegalArgumentException("the " + (holdout != null && holdout.heldOut() ? "held-out" : "selected")
          + " rows of the shards in " + datasetDir + " are none: raise the hold-out fraction or use more data");
    }
    this.samples = total;
  }

  /** Total samples in one epoch. */
  public long samples() {
    return samples;
  }

  @Override
  public OptionalLong batchesPerEpoch() {
    return OptionalLong.of((samples() + batchSize - 1) / batchSize);
  }

  @Override
  public Cursor epoch(int epoch) {
    List<Integer> order = new ArrayList<>(shards.size());
    for (int i = 0; i < shards.size(); i++) {
      order.add(i);
    }
    if (shuffle) {
      Collections.shuffle(order, new Random(mix(seed, epoch, -1)));
    }
    return new ShardCursor(order, epoch);
  }

  /** Batch array pairs allocated so far: stays at the number in flight when the consumer releases batches. */
  long allocatedBatches() {
    return pool.allocated();
  }

  /** Unmaps every shard. Cursors still open fail on their next read; releasing their batches stays harmless. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      RuntimeException failure = null;
      for (int i = 0; i < open.length; i++) {
        if (open[i] != null) {
          try {
            open[i].images().close();
          } catch (RuntimeException e) {
            if (failure == null) {
              failure = e;
            } else {
              failure.addSuppressed(e);
            }
          }
          open[i] = null;
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /** Fisher-Yates from the end, one {@code nextInt} per position. */
  private static void permute(int[] values, Random random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }

  private static long mix(long seed, int epoch, int shard) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + shard;
    return h ^ (h >>> 29);
  }

  /** The mapped shard {@code index}, mapping it on first use; call with {@link #lock} held. */
  private OpenShard shard(int index) {
    OpenShard shard = open[index];
    if (shard != null) {
      return shard;
    }
    ShardInfo info = shards.get(index);
    Path file = datasetDir.resolve(info.file());
    ShardImages images;
    try {
      images = ShardImages.open(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read shard " + file, e);
    }
    try {
      int n = images.rowCount();
      if (n != info.rows()) {
        throw new IllegalStateException("shard " + info.file() + " has " + n + " rows, but its manifest says "
            + info.rows());
      }
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = images.label(i, -1);
        if (labels[i] < 0) {
          throw new IllegalStateException("shard " + info.file() + ": row " + i + " has no label; training a "
              + "classifier needs a label on every sample");
        }
        if (images.elementCount(i) != elementsPerImage) {
          throw new IllegalStateException("shard " + info.file() + ": row " + i + " has " + images.elementCount(i)
              + " elements, but the model takes " + elementsPerImage + " (C*H*W)");
        }
      }
      shard = new OpenShard(images, labels);
    } catch (RuntimeException e) {
      images.close();
      throw e;
    }
    open[index] = shard;
    return shard;
  }

  private final class ShardCursor implements Cursor {
    private final List<Integer> order;
    private final int epoch;
    private int nextShard;
    private int shardIndex = -1;
    private int[] rowOrder = new int[0];
    private int position;
    /** Rows this epoch still has to deliver (manifest counts, checked against each shard when it is mapped). */
    private long left;

    ShardCursor(List<Integer> order, int epoch) {
      this.order = order;
      this.epoch = epoch;
      this.left = samples();
    }

    @Override
    public boolean hasNext() {
      return left > 0;
    }

    @Override
    public ImageBatch next() {
      if (!hasNext()) {
        throw new NoSuchElementException("epoch " + epoch + " has no more batches");
      }
      BatchPool.Slot slot = pool.take();
      float[] batchImages = slot.images();
      int[] batchLabels = slot.labels();
      int count = 0;
      synchronized (lock) {
        if (closed) {
          throw new IllegalStateException("epoch " + epoch + ": the ShardBatchSource over " + datasetDir
              + " was closed while this cursor was still being read");
        }
        while (count < batchSize) {
          if (position == rowOrder.length) {
            if (nextShard == order.size()) {
              break;
            }
            start(nextShard++);
            continue; // the shard may be empty
          }
          OpenShard shard = shard(shardIndex);
          // Copy the longest run of consecutive rows that fits: one bulk copy instead of one per row.
          int row = rowOrder[position];
          int run = 1;
          int limit = Math.min(batchSize - count, rowOrder.length - position);
          while (run < limit && rowOrder[position + run] == row + run) {
            run++;
          }
          // Every row has elementsPerImage elements: checked when the shard was mapped.
          shard.images().copyImagesAsFloat(row, run, elementsPerImage, batchImages, count * elementsPerImage, 1.0f);
          System.arraycopy(shard.labels(), row, batchLabels, count, run);
          position += run;
          count += run;
        }
      }
      left -= count;
      if (count < batchSize) {
        // A reused array holds an older batch past `count`: clear it, so the tail is zeros as in a fresh array.
        Arrays.fill(batchImages, count * elementsPerImage, batchImages.length, 0f);
        Arrays.fill(batchLabels, count, batchLabels.length, 0);
      }
      return new ImageBatch(batchImages, batchLabels, count);
    }

    /** Moves to the {@code k}-th shard of this epoch's order; call with {@link #lock} held. */
    private void start(int k) {
      shardIndex = order.get(k);
      shard(shardIndex); // maps and checks the shard
      int[] kept = rows[shardIndex];
      int n = kept.length;
      rowOrder = new int[n];
      for (int i = 0; i < n; i++) {
        rowOrder[i] = i;
      }
      if (shuffle) {
        Random random = new Random(mix(seed, epoch, k));
        if (shuffleBlockRows == 1) {
          permute(rowOrder, random);
        } else {
          rowOrder = blockOrder(n, random);
        }
      }
      for (int i = 0; i < n; i++) {
        rowOrder[i] = kept[rowOrder[i]];
      }
      position = 0;
    }

    /**
     * Rows 0..n-1 in shuffled blocks: boundaries at offset + j * shuffleBlockRows (a short first and last block),
     * the blocks permuted, the rows of a block in order.
     */
    private int[] blockOrder(int n, Random random) {
      int b = shuffleBlockRows;
      int offset = random.nextInt(b);
      int second = offset == 0 ? b : offset;
      int blocks = second >= n ? 1 : 1 + (n - second + b - 1) / b;
      int[] starts = new int[blocks + 1];
      for (int i = 1; i < blocks; i++) {
        starts[i] = second + (i - 1) * b;
      }
      starts[blocks] = n;
      int[] blockOrder = new int[blocks];
      for (int i = 0; i < blocks; i++) {
        blockOrder[i] = i;
      }
      permute(blockOrder, random);
      int[] rows = new int[n];
      int at = 0;
      for (int block : blockOrder) {
        for (int row = starts[block]; row < starts[block + 1]; row++) {
          rows[at++] = row;
        }
      }
      return rows;
    }

    @Override
    public void release(ImageBatch batch) {
      pool.give(batch);
    }

    @Override
    public void close() {
      rowOrder = new int[0];
      position = 0;
      nextShard = order.size();
      left = 0;
    }
  }
}
