package dev.tessera.transforms.sample;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * A compact, deterministic Beam coder for {@link Sample}: equal samples always encode to equal bytes, so samples
 * can be keys and their encodings can be hashed.
 *
 * <p>Layout (big-endian, {@link DataOutputStream}): a format byte; the id; height, width, channels; dtype and
 * layout as one byte each; a byte of presence flags (encoded, label, boxes, mask); the pixels as a length-prefixed
 * byte array; then the present optional fields; then source and split. Strings are length-prefixed UTF-8 (no
 * 64 KB limit). Example: {@code samples.setCoder(SampleCoder.of())}.
 */
public final class SampleCoder extends CustomCoder<Sample> {
  private static final SampleCoder INSTANCE = new SampleCoder();
  private static final int FORMAT = 1;
  private static final int HAS_ENCODED = 1;
  private static final int HAS_LABEL = 2;
  private static final int HAS_BOXES = 4;
  private static final int HAS_MASK = 8;

  private SampleCoder() {}

  public static SampleCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Sample sample, OutputStream outStream) throws IOException {
    if (sample == null) {
      throw new CoderException("cannot encode a null Sample");
    }
    // Not closed: the stream belongs to the caller.
    DataOutputStream out = new DataOutputStream(outStream);
    out.writeByte(FORMAT);
    writeString(out, sample.id());
    out.writeInt(sample.height());
    out.writeInt(sample.width());
    out.writeInt(sample.channels());
    out.writeByte(sample.dtype().ordinal());
    out.writeByte(sample.layout().ordinal());
    int flags = (sample.encoded() != null ? HAS_ENCODED : 0)
        | (sample.label() != null ? HAS_LABEL : 0)
        | (sample.boxes() != null ? HAS_BOXES : 0)
        | (sample.mask() != null ? HAS_MASK : 0);
    out.writeByte(flags);
    writeBytes(out, sample.pixels());
    if (sample.encoded() != null) {
      writeBytes(out, sample.encoded());
    }
    if (sample.label() != null) {
      out.writeInt(sample.label());
    }
    if (sample.boxes() != null) {
      out.writeInt(sample.boxes().size());
      for (Box box : sample.boxes()) {
        // Raw int bits keep NaN payloads and -0.0 exactly, so decode(encode(x)) is bit-identical.
        out.writeInt(Float.floatToRawIntBits(box.x1()));
        out.writeInt(Float.floatToRawIntBits(box.y1()));
        out.writeInt(Float.floatToRawIntBits(box.x2()));
        out.writeInt(Float.floatToRawIntBits(box.y2()));
        out.writeInt(box.classId());
      }
    }
    if (sample.mask() != null) {
      writeBytes(out, sample.mask());
    }
    writeString(out, sample.source());
    writeString(out, sample.split());
    out.flush();
  }

  @Override
  public Sample decode(InputStream inStream) throws IOException {
    // DataInputStream does not read ahead, so it consumes exactly this element's bytes.
    DataInputStream in = new DataInputStream(inStream);
    int format = in.readUnsignedByte();
    if (format != FORMAT) {
      throw new CoderException("unknown Sample encoding format " + format + " (this coder reads format " + FORMAT
          + "); was the data written by a newer Tessera?");
    }
    String id = readString(in);
    int height = in.readInt();
    int width = in.readInt();
    int channels = in.readInt();
    DType dtype = DType.values()[in.readUnsignedByte()];
    Layout layout = Layout.values()[in.readUnsignedByte()];
    int flags = in.readUnsignedByte();
    byte[] pixels = readBytes(in);
    byte[] encoded = (flags & HAS_ENCODED) != 0 ? readBytes(in) : null;
    Integer label = (flags & HAS_LABEL) != 0 ? in.readInt() : null;
    List<Box> boxes = null;
    if ((flags & HAS_BOXES) != 0) {
      int n = in.readInt();
      boxes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        boxes.add(new Box(Float.intBitsToFloat(in.readInt()), Float.intBitsToFloat(in.readInt()),
            Float.intBitsToFloat(in.readInt()), Float.intBitsToFloat(in.readInt()), in.readInt()));
      }
    }
    byte[] mask = (flags & HAS_MASK) != 0 ? readBytes(in) : null;
    String source = readString(in);
    String split = readString(in);
    return new Sample(id, pixels, height, width, channels, dtype, layout, encoded, label, boxes, mask, source, split);
  }

  @Override
  public void verifyDeterministic() {
    // Deterministic: every field is written in a fixed order with a fixed-width or length-prefixed encoding.
  }

  @Override
  public boolean consistentWithEquals() {
    return true;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SampleCoder;
  }

  @Override
  public int hashCode() {
    return SampleCoder.class.hashCode();
  }

  private Object readResolve() {
    return INSTANCE;
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new CoderException("corrupt Sample encoding: negative array length " + n);
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return bytes;
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(readBytes(in), StandardCharsets.UTF_8);
  }
}
