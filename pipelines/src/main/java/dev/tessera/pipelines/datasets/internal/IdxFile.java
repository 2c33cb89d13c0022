package dev.tessera.pipelines.datasets.internal;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The header of an IDX file (unsigned-byte data only) and how to stream its data, gzip or raw.
 *
 * <p>Layout: two zero bytes, a type byte ({@code 0x08} = unsigned byte), a dimension count, then one big-endian
 * int32 per dimension, then the data in row-major order.
 *
 * @param file the file
 * @param gzipped whether the file is gzip-compressed (detected from its first two bytes, not its name)
 * @param dims the dimensions; {@code dims[0]} is the item count
 */
public record IdxFile(Path file, boolean gzipped, int[] dims) {
  private static final int UNSIGNED_BYTE = 0x08;

  /** Header bytes before the data. */
  public int headerBytes() {
    return 4 + 4 * dims.length;
  }

  /** Bytes of one item: the product of all dimensions but the first. */
  public long itemBytes() {
    long n = 1;
    for (int i = 1; i < dims.length; i++) {
      n *= dims[i];
    }
    return n;
  }

  /**
   * Reads and checks the header of {@code file}: the magic number must say unsigned bytes with
   * {@code expectedDims} dimensions ({@code what} names the expected kind in errors, such as "IDX images").
   */
  public static IdxFile open(Path file, int expectedDims, String what) throws IOException {
    boolean gzipped;
    try (InputStream raw = Files.newInputStream(file)) {
      gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
    }
    try (DataInputStream in = new DataInputStream(stream(file, gzipped))) {
      return readHeader(file, gzipped, in, expectedDims, what);
    } catch (java.util.zip.ZipException | EOFException e) {
      throw new IOException(file + ": not " + what + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
    }
  }

  private static IdxFile readHeader(Path file, boolean gzipped, DataInputStream in, int expectedDims, String what)
      throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IOException(file + ": not " + what + ": the file is shorter than an IDX header");
    }
    int type = (magic >>> 8) & 0xFF;
    int ndims = magic & 0xFF;
    if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || ndims != expectedDims) {
      throw new IOException(String.format(
          "%s: not %s: magic number is 0x%08X, expected 0x%08X (unsigned bytes, %d dimension%s)%s", file, what,
          magic, (UNSIGNED_BYTE << 8) | expectedDims, expectedDims, expectedDims == 1 ? "" : "s",
          (magic >>> 16) == 0 && type == UNSIGNED_BYTE
              ? "; the file has " + ndims + " dimension" + (ndims == 1 ? "" : "s")
                  + " (images have 3, labels 1): were the images and labels files swapped?"
              : ""));
    }
    int[] dims = new int[ndims];
    for (int i = 0; i < ndims; i++) {
      try {
        dims[i] = in.readInt();
      } catch (EOFException e) {
        throw new IOException(file + ": truncated IDX header: it ends inside dimension " + i + " of " + ndims);
      }
      if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
        throw new IOException(file + ": IDX dimension " + i + " is " + dims[i] + ", expected "
            + (i == 0 ? ">= 0" : "> 0"));
      }
    }
    IdxFile idx = new IdxFile(file, gzipped, dims);
    if (!gzipped) {
      long expected = idx.headerBytes() + (long) dims[0] * idx.itemBytes();
      long actual = Files.size(file);
      if (actual != expected) {
        throw new IOException(file + ": " + (actual < expected ? "truncated" : "too long") + ": the header declares "
            + idx.describe() + " (" + expected + " bytes with the header), but the file has " + actual
            + " bytes; download it again");
      }
    }
    return idx;
  }

  /** For example {@code 60000 items of 28x28}. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(dims[0]).append(" items");
    for (int i = 1; i < dims.length; i++) {
      sb.append(i == 1 ? " of " : "x").append(dims[i]);
    }
    return sb.toString();
  }

  /**
   * An input stream positioned at item {@code start}. Raw files skip there directly; gzip files decompress and
   * discard the bytes before it.
   */
  public InputStream openAt(int start) throws IOException {
    InputStream in = stream(file, gzipped);
    try {
      in.skipNBytes(headerBytes() + start * itemBytes());
    } catch (EOFException e) {
      in.close();
      throw truncated(start, 0);
    }
    return in;
  }

  /**
   * Reads items [start, end) into {@code dest} (from offset 0). When {@code end} is the last item, also checks
   * that nothing follows.
   */
  public void read(int start, int end, byte[] dest) throws IOException {
    try (InputStream in = openAt(start)) {
      readData(in, start, end, dest);
    } catch (java.util.zip.ZipException e) {
      throw new IOException(file + ": corrupt gzip data (" + e.getMessage() + "); download it again", e);
    }
  }

  private void readData(InputStream in, int start, int end, byte[] dest) throws IOException {
    int n = in.readNBytes(dest, 0, (int) ((end - start) * itemBytes()));
    if (n < (end - start) * itemBytes()) {
      throw truncated(start, n);
    }
    if (end == dims[0] && in.read() != -1) {
      throw new IOException(file + ": too long: data continues after the " + describe()
          + " the header declares; download it again");
    }
  }

  /** Checks {@code 0 <= start <= end <= count}, naming the parameters and the file. */
  public void checkRange(int start, int end) {
    if (start < 0 || end < start || end > dims[0]) {
      throw new IllegalArgumentException("range [start, end) must satisfy 0 <= start <= end <= " + dims[0]
          + " for " + file + ", but was [" + start + ", " + end + ")");
    }
  }

  private IOException truncated(int start, long bytesRead) {
    return new IOException(file + ": truncated: the header declares " + describe() + ", but the data ends "
        + (bytesRead + start * itemBytes()) + " bytes after the header; download it again");
  }

  private static InputStream stream(Path file, boolean gzipped) throws IOException {
    InputStream raw = Files.newInputStream(file);
    return gzipped ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16);
  }
}
