package dev.tessera.stages.train.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named tensors in one file, bit for bit: {@code int magic 'TSR1', int count}, then per tensor {@code UTF name,
 * UTF data type (DJL's name), int rank, long[rank] dims, int byte count, bytes} (the raw little-endian values, as
 * the engine holds them). Big-endian framing ({@link DataOutputStream}).
 */
public final class TensorFile {
  private TensorFile() {}

  private static final int MAGIC = 0x54535231;

  /** Writes the tensors in map order (the caller makes it stable). */
  public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      out.writeInt(MAGIC);
      out.writeInt(tensors.size());
      for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
        NDArray array = entry.getValue();
        out.writeUTF(entry.getKey());
        out.writeUTF(array.getDataType().name());
        long[] dims = array.getShape().getShape();
        out.writeInt(dims.length);
        for (long dim : dims) {
          out.writeLong(dim);
        }
        ByteBuffer data = array.toByteBuffer();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.writeInt(bytes.length);
        out.write(bytes);
      }
    }
  }

  /** Reads every tensor onto {@code manager}'s device, in file order. */
  public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a tensor file (wrong magic number)");
      }
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        DataType type = DataType.valueOf(in.readUTF());
        long[] dims = new long[in.readInt()];
        for (int d = 0; d < dims.length; d++) {
          dims[d] = in.readLong();
        }
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
        buffer.put(bytes).rewind();
        tensors.put(name, manager.create(buffer, new Shape(dims), type));
      }
    }
    return tensors;
  }
}
