package dev.tessera.pipelines.data;

import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * A view of the record batch a {@link ShardReader} has loaded: direct access to the columns without building a
 * {@link Sample} per row. Valid only until the reader loads another batch or closes; copy what you keep.
 */
public final class SampleBatch {
  private final VectorSchemaRoot root;
  private final VarCharVector id;
  private final VarBinaryVector image;
  private final IntVector height;
  private final IntVector width;
  private final IntVector channels;
  private final VarCharVector dtype;
  private final VarCharVector layout;
  private final VarBinaryVector encoded;
  private final IntVector label;
  private final ListVector boxes;
  private final VarBinaryVector mask;
  private final VarCharVector source;
  private final VarCharVector split;
  private byte[] scratch = new byte[0];
  // Per-batch caches, dropped by reset() when the reader loads another batch.
  private DType uniformDType;
  private boolean uniformKnown;
  private FloatBuffer floats;

  SampleBatch(VectorSchemaRoot root) {
    this.root = root;
    this.id = (VarCharVector) root.getVector(SampleSchema.ID);
    this.image = (VarBinaryVector) root.getVector(SampleSchema.IMAGE);
    this.height = (IntVector) root.getVector(SampleSchema.HEIGHT);
    this.width = (IntVector) root.getVector(SampleSchema.WIDTH);
    this.channels = (IntVector) root.getVector(SampleSchema.CHANNELS);
    this.dtype = (VarCharVector) root.getVector(SampleSchema.DTYPE);
    this.layout = (VarCharVector) root.getVector(SampleSchema.LAYOUT);
    this.encoded = (VarBinaryVector) root.getVector(SampleSchema.ENCODED);
    this.label = (IntVector) root.getVector(SampleSchema.LABEL);
    this.boxes = (ListVector) root.getVector(SampleSchema.BOXES);
    this.mask = (VarBinaryVector) root.getVector(SampleSchema.MASK);
    this.source = (VarCharVector) root.getVector(SampleSchema.SOURCE);
    this.split = (VarCharVector) root.getVector(SampleSchema.SPLIT);
  }

  /** Forgets what was cached about the previous batch; the reader calls it after loading a batch. */
  void reset() {
    uniformDType = null;
    uniformKnown = false;
    floats = null;
  }

  /** Rows in this batch. */
  public int rowCount() {
    return root.getRowCount();
  }

  /** The Arrow vectors themselves, for readers that want zero-copy access. */
  public VectorSchemaRoot root() {
    return root;
  }

  /** The label of a row, or {@code missing} when it has none. */
  public int label(int row, int missing) {
    return label.isNull(row) ? missing : label.get(row);
  }

  /** Elements of a row's image: {@code height * width * channels}. */
  public int elementCount(int row) {
    return height.get(row) * width.get(row) * channels.get(row);
  }

  public DType dtype(int row) {
    return DType.fromId(new String(dtype.get(row), StandardCharsets.UTF_8));
  }

  /**
   * Copies a row's pixels into {@code dest} as floats starting at {@code offset}, in the stored layout:
   * {@code dest[offset + i] = pixel[i] * scale} (uint8 values are 0..255 before scaling; float32 values as stored).
   * Returns the number of elements written.
   */
  public int copyImageAsFloat(int row, float[] dest, int offset, float scale) {
    int elements = elementCount(row);
    if (offset < 0 || offset + elements > dest.length) {
      throw new IllegalArgumentException("dest has room for " + (dest.length - offset) + " floats at offset "
          + offset + ", but row " + row + " has " + elements + " elements");
    }
    long start = image.getStartOffset(row);
    int bytes = image.getEndOffset(row) - (int) start;
    DType type = uniformDType();
    if (type == null) {
      type = dtype(row);
    }
    if (type == DType.FLOAT32 && bytes == elements * Float.BYTES && (start & 3) == 0) {
      floatView().get((int) (start >>> 2), dest, offset, elements);
      scale(dest, offset, elements, scale);
      return elements;
    }
    copyAsFloat(type, start, bytes, elements, dest, offset, scale);
    return elements;
  }

  /**
   * Copies the images of rows {@code from .. from + count - 1}, which must all have {@code elements} elements,
   * into {@code dest} image after image, exactly as {@code count} calls of
   * {@link #copyImageAsFloat(int, float[], int, float)} would. When every row of the batch is float32 this is one
   * bulk copy: the rows of an Arrow binary column lie back to back in its data buffer.
   */
  public void copyImagesAsFloat(int from, int count, int elements, float[] dest, int offset, float scale) {
    if (from < 0 || count < 0 || from + count > rowCount()) {
      throw new IllegalArgumentException("rows " + from + ".." + (from + count - 1) + " are not all in this batch of "
          + rowCount() + " rows");
    }
    if (offset < 0 || offset + (long) count * elements > dest.length) {
      throw new IllegalArgumentException("dest has room for " + (dest.length - offset) + " floats at offset "
          + offset + ", but " + count + " images of " + elements + " elements need " + (long) count * elements);
    }
    if (count == 0) {
      return;
    }
    long start = image.getStartOffset(from);
    long bytes = (long) image.getEndOffset(from + count - 1) - start;
    if (uniformDType() == DType.FLOAT32 && (start & 3) == 0 && bytes == (long) count * elements * Float.BYTES
        && sameSize(from, count, elements)) {
      floatView().get((int) (start >>> 2), dest, offset, count * elements);
      scale(dest, offset, count * elements, scale);
      return;
    }
    for (int i = 0; i < count; i++) {
      if (elementCount(from + i) != elements) {
        throw new IllegalArgumentException("row " + (from + i) + " has " + elementCount(from + i)
            + " elements, not " + elements);
      }
      copyImageAsFloat(from + i, dest, offset + i * elements, scale);
    }
  }

  /** True when every row in the range has {@code elements} elements and exactly 4 bytes per element. */
  private boolean sameSize(int from, int count, int elements) {
    for (int row = from; row < from + count; row++) {
      if (elementCount(row) != elements
          || image.getEndOffset(row) - image.getStartOffset(row) != (long) elements * Float.BYTES) {
        return false;
      }
    }
    return true;
  }

  /** The row-by-row path: uint8 through a scratch array, float32 through a little-endian view. */
  private void copyAsFloat(DType type, long start, int bytes, int elements, float[] dest, int offset, float scale) {
    ArrowBuf data = image.getDataBuffer();
    if (type == DType.UINT8) {
      if (scratch.length < bytes) {
        scratch = new byte[bytes];
      }
      data.getBytes(start, scratch, 0, bytes);
      byte[] src = scratch;
      for (int i = 0; i < elements; i++) {
        dest[offset + i] = (src[i] & 0xFF) * scale;
      }
    } else {
      ByteBuffer view = data.nioBuffer(start, bytes).order(ByteOrder.LITTLE_ENDIAN);
      view.asFloatBuffer().get(dest, offset, elements);
      scale(dest, offset, elements, scale);
    }
  }

  private static void scale(float[] dest, int offset, int elements, float scale) {
    if (scale != 1f) {
      for (int i = offset; i < offset + elements; i++) {
        dest[i] *= scale;
      }
    }
  }

  /** The whole image data buffer as little-endian floats (float index = byte offset / 4). */
  private FloatBuffer floatView() {
    if (floats == null) {
      ArrowBuf data = image.getDataBuffer();
      floats = data.nioBuffer(0, (int) data.capacity()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }
    return floats;
  }

  /** The dtype shared by every row of the batch, or null when rows differ; decoded once per batch. */
  private DType uniformDType() {
    if (!uniformKnown) {
      uniformKnown = true;
      uniformDType = null;
      int rows = rowCount();
      if (rows > 0) {
        ArrowBuf bytes = dtype.getDataBuffer();
        long first = dtype.getStartOffset(0);
        int length = dtype.getEndOffset(0) - (int) first;
        boolean same = true;
        for (int row = 1; row < rows && same; row++) {
          long start = dtype.getStartOffset(row);
          if (dtype.getEndOffset(row) - start != length) {
            same = false;
          }
          for (int i = 0; i < length && same; i++) {
            same = bytes.getByte(start + i) == bytes.getByte(first + i);
          }
        }
        if (same) {
          uniformDType = dtype(0);
        }
      }
    }
    return uniformDType;
  }

  /** The row as a {@link Sample} (its arrays copied out of Arrow memory). */
  public Sample sample(int row) {
    List<Box> rowBoxes = null;
    if (!boxes.isNull(row)) {
      StructVector struct = (StructVector) boxes.getDataVector();
      Float4Vector x1 = struct.getChild("x1", Float4Vector.class);
      Float4Vector y1 = struct.getChild("y1", Float4Vector.class);
      Float4Vector x2 = struct.getChild("x2", Float4Vector.class);
      Float4Vector y2 = struct.getChild("y2", Float4Vector.class);
      IntVector classId = struct.getChild("class_id", IntVector.class);
      ArrowBuf offsets = boxes.getOffsetBuffer();
      int from = offsets.getInt((long) row * ListVector.OFFSET_WIDTH);
      int to = offsets.getInt((long) (row + 1) * ListVector.OFFSET_WIDTH);
      rowBoxes = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        rowBoxes.add(new Box(x1.get(i), y1.get(i), x2.get(i), y2.get(i), classId.get(i)));
      }
    }
    return new Sample(
        string(id, row),
        image.get(row),
        height.get(row),
        width.get(row),
        channels.get(row),
        dtype(row),
        Layout.fromId(string(layout, row)),
        encoded.isNull(row) ? null : encoded.get(row),
        label.isNull(row) ? null : label.get(row),
        rowBoxes,
        mask.isNull(row) ? null : mask.get(row),
        string(source, row),
        string(split, row));
  }

  private static String string(VarCharVector vector, int row) {
    return new String(vector.get(row), StandardCharsets.UTF_8);
  }
}
