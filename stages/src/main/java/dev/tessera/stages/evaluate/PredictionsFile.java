package dev.tessera.stages.evaluate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/**
 * Reads and writes {@link Predictions} as an Arrow IPC file (the evaluate stage's {@code predictions.arrow}).
 *
 * <pre>{@code
 * PredictionsFile.write(predictions, dir.resolve("predictions.arrow"));
 * Predictions back = PredictionsFile.read(dir.resolve("predictions.arrow"));
 * }</pre>
 *
 * <p>Columns: {@code label} int32, {@code predicted} int32, {@code probabilities}
 * {@code fixed_size_list<float32>[classes]}; one row per sample in order, in record batches of up to
 * {@value #ROWS_PER_BATCH} rows. In Python: {@code pyarrow.ipc.open_file(path).read_all()}, and
 * {@code np.stack(table["probabilities"].to_numpy(zero_copy_only=False))} gives the (samples, classes) matrix.
 * Writing goes to a temporary sibling first and is moved into place, so a reader never sees half a file.
 */
public final class PredictionsFile {
  private PredictionsFile() {}

  static final int ROWS_PER_BATCH = 8192;

  /** Writes {@code predictions} to {@code file} (replaced atomically; parent directories created). */
  public static void write(Predictions predictions, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      write(predictions, channel);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The bytes of the file {@link #write(Predictions, Path)} writes. */
  public static byte[] bytes(Predictions predictions) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write(predictions, Channels.newChannel(bytes));
    return bytes.toByteArray();
  }

  private static void write(Predictions predictions, WritableByteChannel channel) throws IOException {
    int classes = predictions.classes();
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema(classes), allocator);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, channel)) {
      writer.start();
      IntVector labels = (IntVector) root.getVector("label");
      IntVector predicted = (IntVector) root.getVector("predicted");
      FixedSizeListVector lists = (FixedSizeListVector) root.getVector("probabilities");
      Float4Vector values = (Float4Vector) lists.getDataVector();
      for (int start = 0; start < predictions.size() || start == 0; start += ROWS_PER_BATCH) {
        int rows = Math.min(ROWS_PER_BATCH, predictions.size() - start);
        root.allocateNew();
        for (int r = 0; r < rows; r++) {
          int i = start + r;
          labels.setSafe(r, predictions.labels()[i]);
          predicted.setSafe(r, predictions.predicted()[i]);
          lists.setNotNull(r);
          for (int c = 0; c < classes; c++) {
            values.setSafe(r * classes + c, predictions.probabilities()[i][c]);
          }
        }
        root.setRowCount(rows);
        writer.writeBatch();
      }
      writer.end();
    }
  }

  /** Reads a file written by {@link #write}. */
  public static Predictions read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(channel, file.toString());
    }
  }

  /** Reads the bytes of a file written by {@link #write}; {@code name} says where they come from in errors. */
  public static Predictions read(byte[] bytes, String name) throws IOException {
    return read(new ByteArrayReadableSeekableByteChannel(bytes), name);
  }

  private static Predictions read(SeekableByteChannel channel, String name) throws IOException {
    List<Integer> labels = new ArrayList<>();
    List<Integer> predicted = new ArrayList<>();
    List<float[]> probabilities = new ArrayList<>();
    int classes;
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      if (!(root.getVector("probabilities") instanceof FixedSizeListVector lists)
          || !(root.getVector("label") instanceof IntVector labelColumn)
          || !(root.getVector("predicted") instanceof IntVector predictedColumn)) {
        throw new IOException(name + " is not a predictions file: its schema is " + root.getSchema()
            + ", but label int32, predicted int32 and probabilities fixed_size_list<float32> are needed");
      }
      classes = lists.getListSize();
      while (reader.loadNextBatch()) {
        Float4Vector values = (Float4Vector) lists.getDataVector();
        for (int r = 0; r < root.getRowCount(); r++) {
          labels.add(labelColumn.get(r));
          predicted.add(predictedColumn.get(r));
          float[] row = new float[classes];
          for (int c = 0; c < classes; c++) {
            row[c] = values.get(r * classes + c);
          }
          probabilities.add(row);
        }
      }
    }
    return new Predictions(labels.stream().mapToInt(Integer::intValue).toArray(),
        predicted.stream().mapToInt(Integer::intValue).toArray(), probabilities.toArray(float[][]::new), classes);
  }

  private static Schema schema(int classes) {
    FieldType float32 = FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
    FieldType int32 = FieldType.notNullable(new ArrowType.Int(32, true));
    return new Schema(List.of(
        new Field("label", int32, null),
        new Field("predicted", int32, null),
        new Field("probabilities", FieldType.notNullable(new ArrowType.FixedSizeList(classes)),
            List.of(new Field("item", float32, null)))));
  }
}
