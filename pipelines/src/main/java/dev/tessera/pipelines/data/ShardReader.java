package dev.tessera.pipelines.data;

import dev.tessera.pipelines.data.internal.MappedRecordBatches;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.InvalidArrowFileException;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Streams the samples of one shard written by {@link ShardWriter}, one record batch in memory at a time.
 *
 * <p>Three ways to read, all advancing the same position: {@link #samples()} yields a {@link Sample} per row;
 * {@link #loadNextBatch()} plus {@link #batch()} give column access to a whole batch; and
 * {@link #readImagesFloat(float[], int[], int, float)} fills a trainer's arrays directly, without per-sample
 * objects. Rows come in the order they were written. Not thread-safe; close it to release its memory.
 *
 * <p>Local record batches are memory-mapped, not copied: loading a batch costs no CPU per byte, and the first read
 * of a value pulls its page from the page cache (or the disk). A shard on another Beam file system
 * ({@code s3://...}) is read through its {@link FileSystems} channel, one batch at a time.
 *
 * <pre>{@code
 * try (ShardReader reader = ShardReader.open(file)) {
 *   int n;
 *   while ((n = reader.readImagesFloat(images, labels, 128, 1f / 255)) > 0) { train(images, labels, n); }
 * }
 * }</pre>
 */
public final class ShardReader implements AutoCloseable {
  private final String file;
  private final BufferAllocator allocator;
  /** The local file's channel, whose record batches are memory-mapped; null for a remote file. */
  private final FileChannel channel;
  private final ArrowFileReader reader;
  private final VectorLoader loader;
  private final SampleSchema.Info info;
  private final List<ArrowBlock> blocks;
  private final SampleBatch batch;
  private int nextBlock;
  private int row;
  private boolean loaded;

  private ShardReader(ResourceId resource, BufferAllocator parent) throws IOException {
    Path local = Locations.localPath(resource).orElse(null);
    this.file = local != null ? local.toString() : resource.toString();
    BufferAllocator alloc = parent == null
        ? new RootAllocator()
        : parent.newChildAllocator("shard-reader " + resource.getFilename(), 0, parent.getLimit());
    SeekableByteChannel channel = null;
    ArrowFileReader r = null;
    try {
      channel = local != null ? FileChannel.open(local, StandardOpenOption.READ) : openRemote(resource);
      r = new ArrowFileReader(channel, alloc);
      this.info = SampleSchema.check(r.getVectorSchemaRoot().getSchema(), "shard " + file);
      this.blocks = r.getRecordBlocks();
      this.batch = new SampleBatch(r.getVectorSchemaRoot());
      this.loader = new VectorLoader(r.getVectorSchemaRoot());
    } catch (IOException | RuntimeException e) {
      if (r != null) {
        r.close();
      } else if (channel != null) {
        channel.close();
      }
      alloc.close();
      if (e instanceof InvalidArrowFileException) {
        throw new IOException("shard " + file + " is not a complete Arrow IPC file (" + e.getMessage()
            + "); was it truncated or written by something other than ShardWriter?", e);
      }
      if (e instanceof IOException io) {
        throw new IOException("cannot read shard " + file + ": " + e.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
    this.allocator = alloc;
    this.channel = channel instanceof FileChannel fileChannel ? fileChannel : null;
    this.reader = r;
  }

  private static SeekableByteChannel openRemote(ResourceId resource) throws IOException {
    ReadableByteChannel opened;
    try {
      opened = FileSystems.open(resource);
    } catch (IOException | RuntimeException e) {
      throw Locations.told("read", resource, e);
    }
    if (opened instanceof SeekableByteChannel seekable) {
      return seekable;
    }
    opened.close();
    throw new IOException("the file system of " + resource + " (" + resource.getScheme() + "://) cannot seek, "
        + "which reading an Arrow file's footer needs");
  }

  /** Opens a shard and checks its schema (the error names the file and the first column that differs). */
  public static ShardReader open(Path file) throws IOException {
    return open(file, null);
  }

  /** As {@link #open(Path)}, allocating from a child of {@code allocator} (none: null). */
  public static ShardReader open(Path file, BufferAllocator allocator) throws IOException {
    return new ShardReader(FileSystems.matchNewResource(file.toAbsolutePath().toString(), false), allocator);
  }

  /**
   * Opens a shard on any Beam file system ({@code s3://bucket/x/train-00000.arrow}, or a local file). A remote
   * shard is read through a seekable {@link FileSystems} channel, batch by batch, instead of memory-mapped.
   */
  public static ShardReader open(ResourceId file, BufferAllocator allocator) throws IOException {
    return new ShardReader(file, allocator);
  }

  /** The dataset name, class names and schema version from the shard's metadata. */
  public SampleSchema.Info info() {
    return info;
  }

  /** Record batches in the file (known from its footer without reading them). */
  public int batchCount() {
    return blocks.size();
  }

  /** Loads the next record batch; false at the end. The previous batch's view becomes invalid. */
  public boolean loadNextBatch() throws IOException {
    if (nextBlock >= blocks.size()) {
      loaded = false;
      return false;
    }
    return loadBatch(nextBlock);
  }

  /** Loads record batch {@code index} (0-based), for readers that split a shard by batches. */
  public boolean loadBatch(int index) throws IOException {
    if (index < 0 || index >= blocks.size()) {
      throw new IllegalArgumentException(
          "batch index must be in [0, " + blocks.size() + ") for shard " + file + ", but was " + index);
    }
    if (channel == null) {
      reader.loadRecordBatch(blocks.get(index));
    } else {
      try (ArrowRecordBatch mapped = MappedRecordBatches.load(channel, blocks.get(index), allocator)) {
        loader.load(mapped);
      }
    }
    batch.reset();
    nextBlock = index + 1;
    row = 0;
    loaded = true;
    return true;
  }

  /** The loaded batch; call {@link #loadNextBatch()} first. */
  public SampleBatch batch() {
    if (!loaded) {
      throw new IllegalStateException("no batch loaded from " + file + ": call loadNextBatch() first");
    }
    return batch;
  }

  /** The remaining rows as samples, lazily, one batch in memory at a time. */
  public Iterator<Sample> samples() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return advance();
      }

      @Override
      public Sample next() {
        if (!advance()) {
          throw new NoSuchElementException("no more samples in " + file);
        }
        return batch.sample(row++);
      }
    };
  }

  /**
   * Reads up to {@code maxRows} of the following images into {@code images} as floats ({@code pixel * scale}, in
   * the stored layout, image after image) and their labels into {@code labels} (-1 where a sample has none;
   * {@code labels} may be null). Every image read in one call must have the same number of elements. Returns the
   * rows read, 0 at the end of the shard.
   */
  public int readImagesFloat(float[] images, int[] labels, int maxRows, float scale) throws IOException {
    if (maxRows <= 0) {
      throw new IllegalArgumentException("maxRows must be positive, but was " + maxRows);
    }
    if (labels != null && labels.length < maxRows) {
      throw new IllegalArgumentException(
          "labels has room for " + labels.length + " rows, but maxRows is " + maxRows);
    }
    int n = 0;
    int elements = -1;
    while (n < maxRows && advance()) {
      // The rest of this batch, up to maxRows: checked row by row, then copied in one go.
      int end = Math.min(batch.rowCount(), row + (maxRows - n));
      int first = row;
      int firstOut = n;
      for (; row < end; row++, n++) {
        int rowElements = batch.elementCount(row);
        if (elements < 0) {
          elements = rowElements;
          if ((long) elements * maxRows > images.length) {
            throw new IllegalArgumentException("images has room for " + images.length + " floats, but " + maxRows
                + " images of " + elements + " elements need " + (long) elements * maxRows);
          }
        } else if (rowElements != elements) {
          batch.copyImagesAsFloat(first, row - first, elements, images, firstOut * elements, scale);
          throw new IllegalStateException("shard " + file + ": image of row " + row + " has " + rowElements
              + " elements, but the earlier images in this call have " + elements
              + "; resize the images to one size before reading them into a batch");
        }
        if (labels != null) {
          labels[n] = batch.label(row, -1);
        }
      }
      batch.copyImagesAsFloat(first, row - first, elements, images, firstOut * elements, scale);
    }
    return n;
  }

  /** Moves to a row that exists, loading batches as needed; false at the end. */
  private boolean advance() {
    try {
      while (!loaded || row >= batch.rowCount()) {
        if (!loadNextBatch()) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the next record batch of shard " + file, e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      allocator.close();
    }
  }
}
