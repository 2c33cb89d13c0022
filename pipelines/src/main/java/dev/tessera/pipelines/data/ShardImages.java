package dev.tessera.pipelines.data;

import dev.tessera.pipelines.data.internal.MappedRecordBatches;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.InvalidArrowFileException;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Random access by row number to the images and labels of a whole shard, for a trainer that shuffles within a
 * shard: every record batch is memory-mapped at once (no copy into the Java heap), so copying row {@code i} into a
 * batch is the only copy its pixels go through.
 *
 * <pre>{@code
 * try (ShardImages shard = ShardImages.open(file)) {
 *   for (int k = 0; k < order.length; k++) { shard.copyImageAsFloat(order[k], images, k * elements, 1f); }
 * }
 * }</pre>
 *
 * <p>Rows are numbered 0 .. {@link #rowCount()} - 1 in the order they were written (as {@link ShardReader} yields
 * them), and {@link #copyImageAsFloat} gives exactly the values {@link SampleBatch#copyImageAsFloat} gives. Not
 * thread-safe. {@link #close()} unmaps the file at once (not when the garbage collector gets to it); every method
 * but {@link #rowCount()} throws {@link IllegalStateException} afterwards, so never call one concurrently with
 * {@code close()}.
 */
public final class ShardImages implements AutoCloseable {
  private final Path file;
  private final BufferAllocator allocator;
  private final List<VectorSchemaRoot> roots = new ArrayList<>();
  private final SampleBatch[] batches;
  /** First row of each batch, plus the row count at the end. */
  private final int[] firstRow;
  private boolean closed;

  private ShardImages(Path file) throws IOException {
    this.file = file;
    this.allocator = new RootAllocator();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      Schema schema = reader.getVectorSchemaRoot().getSchema();
      SampleSchema.check(schema, "shard " + file);
      List<ArrowBlock> blocks = reader.getRecordBlocks();
      batches = new SampleBatch[blocks.size()];
      firstRow = new int[blocks.size() + 1];
      for (int b = 0; b < blocks.size(); b++) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        roots.add(root);
        try (ArrowRecordBatch mapped = MappedRecordBatches.load(channel, blocks.get(b), allocator, true)) {
          new VectorLoader(root).load(mapped);
        }
        batches[b] = new SampleBatch(root);
        firstRow[b + 1] = Math.addExact(firstRow[b], root.getRowCount());
      }
    } catch (IOException | RuntimeException e) {
      release();
      if (e instanceof InvalidArrowFileException) {
        throw new IOException("shard " + file + " is not a complete Arrow IPC file (" + e.getMessage()
            + "); was it truncated or written by something other than ShardWriter?", e);
      }
      if (e instanceof IOException io) {
        throw new IOException("cannot read shard " + file + ": " + e.getMessage(), io);
      }
      throw e;
    }
  }

  /** Maps every record batch of a shard and checks its schema. */
  public static ShardImages open(Path file) throws IOException {
    return new ShardImages(file);
  }

  /** Rows in the shard. */
  public int rowCount() {
    return firstRow[firstRow.length - 1];
  }

  /** Elements of a row's image: {@code height * width * channels}. */
  public int elementCount(int row) {
    int b = batchOf(row);
    return batches[b].elementCount(row - firstRow[b]);
  }

  /** The label of a row, or {@code missing} when it has none. */
  public int label(int row, int missing) {
    int b = batchOf(row);
    return batches[b].label(row - firstRow[b], missing);
  }

  /** As {@link SampleBatch#copyImageAsFloat(int, float[], int, float)}, for a row of the whole shard. */
  public int copyImageAsFloat(int row, float[] dest, int offset, float scale) {
    int b = batchOf(row);
    return batches[b].copyImageAsFloat(row - firstRow[b], dest, offset, scale);
  }

  /**
   * Copies the images of rows {@code from .. from + count - 1}, which must all have {@code elements} elements, into
   * {@code dest} image after image, exactly as {@code count} calls of {@link #copyImageAsFloat} would; float32 rows
   * that lie in one record batch go in one bulk copy (consecutive rows are back to back in the file).
   */
  public void copyImagesAsFloat(int from, int count, int elements, float[] dest, int offset, float scale) {
    if (count < 0 || from + (long) count > rowCount()) {
      throw new IndexOutOfBoundsException("rows " + from + ".." + (from + count - 1) + " are not all in [0, "
          + rowCount() + ") for shard " + file);
    }
    int row = from;
    int at = offset;
    int end = from + count;
    while (row < end) {
      int b = batchOf(row);
      int n = Math.min(end, firstRow[b + 1]) - row;
      batches[b].copyImagesAsFloat(row - firstRow[b], n, elements, dest, at, scale);
      row += n;
      at += n * elements;
    }
  }

  private int batchOf(int row) {
    if (closed) {
      throw new IllegalStateException("shard " + file + " is closed (its mapping is gone)");
    }
    if (row < 0 || row >= rowCount()) {
      throw new IndexOutOfBoundsException("row must be in [0, " + rowCount() + ") for shard " + file + ", but was "
          + row);
    }
    int i = Arrays.binarySearch(firstRow, row);
    // An exact hit may be the end of an empty batch; take the last batch starting at this row.
    if (i >= 0) {
      while (i + 1 < batches.length && firstRow[i + 1] == row) {
        i++;
      }
      return i;
    }
    return -i - 2;
  }

  @Override
  public void close() {
    closed = true;
    release();
  }

  private void release() {
    for (VectorSchemaRoot root : roots) {
      root.close();
    }
    roots.clear();
    allocator.close();
  }
}
