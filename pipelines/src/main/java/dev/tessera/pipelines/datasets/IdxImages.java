package dev.tessera.pipelines.datasets;

import dev.tessera.pipelines.datasets.internal.IdxFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * An IDX image file such as MNIST's {@code train-images-idx3-ubyte} (gzip or raw, detected from the bytes):
 * {@code count} gray images of {@code rows x cols} unsigned bytes, row-major.
 *
 * <p>{@link #open(Path)} checks the magic number, the dimensions and (for raw files) the exact file length; reads
 * of a range [start, end) let parallel workers split a file. Example:
 * {@code IdxImages.open(dir.resolve("t10k-images-idx3-ubyte")).read(0, 100)}.
 */
public final class IdxImages {
  private final IdxFile idx;

  private IdxImages(IdxFile idx) {
    this.idx = idx;
  }

  /** Opens and checks an IDX image file; the errors name the file and what is wrong. */
  public static IdxImages open(Path file) throws IOException {
    return new IdxImages(IdxFile.open(file, 3, "IDX images (idx3-ubyte)"));
  }

  /** Receives one image at a time. */
  @FunctionalInterface
  public interface ImageVisitor {
    /** {@code pixels} is a new array of {@code rows * cols} bytes for each image. */
    void visit(int index, byte[] pixels) throws IOException;
  }

  public Path file() {
    return idx.file();
  }

  public int count() {
    return idx.dims()[0];
  }

  public int rows() {
    return idx.dims()[1];
  }

  public int cols() {
    return idx.dims()[2];
  }

  /** Images [start, end) as one array of {@code (end - start) * rows * cols} bytes. */
  public byte[] read(int start, int end) throws IOException {
    idx.checkRange(start, end);
    byte[] out = new byte[Math.toIntExact((long) (end - start) * rows() * cols())];
    idx.read(start, end, out);
    return out;
  }

  /** Streams images [start, end) to {@code visitor}, in order. */
  public void forEach(int start, int end, ImageVisitor visitor) throws IOException {
    idx.checkRange(start, end);
    int size = rows() * cols();
    try (InputStream in = idx.openAt(start)) {
      for (int i = start; i < end; i++) {
        byte[] pixels = in.readNBytes(size);
        if (pixels.length < size) {
          throw new IOException(file() + ": truncated: image " + i + " of " + count() + " ends after "
              + pixels.length + " of its " + size + " bytes; download the file again");
        }
        visitor.visit(i, pixels);
      }
    }
  }
}
