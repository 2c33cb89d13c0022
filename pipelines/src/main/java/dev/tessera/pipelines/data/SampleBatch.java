package dev.tessera.pipelines.data;

import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    ArrowBuf data = image.getDataBuffer();
    long start = image.getStartOffset(row);
    int bytes = image.getEndOffset(row) - (int) start;
    if (dtype(row) == DType.UINT8) {
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
      if (scale != 1f) {
        for (int i = offset; i < offset + elements; i++) {
          dest[i] *= scale;
        }
      }
    }
    return elements;
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
