package dev.tessera.pipelines.datasets;

import dev.tessera.pipelines.datasets.internal.IdxFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An IDX label file such as MNIST's {@code train-labels-idx1-ubyte} (gzip or raw): one unsigned byte per item.
 * Checked like {@link IdxImages}.
 */
public final class IdxLabels {
  private final IdxFile idx;

  private IdxLabels(IdxFile idx) {
    this.idx = idx;
  }

  /** Opens and checks an IDX label file; the errors name the file and what is wrong. */
  public static IdxLabels open(Path file) throws IOException {
    return new IdxLabels(IdxFile.open(file, 1, "IDX labels (idx1-ubyte)"));
  }

  public Path file() {
    return idx.file();
  }

  public int count() {
    return idx.dims()[0];
  }

  /** Labels [start, end), each 0..255. */
  public int[] read(int start, int end) throws IOException {
    idx.checkRange(start, end);
    byte[] bytes = new byte[end - start];
    idx.read(start, end, bytes);
    int[] labels = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      labels[i] = bytes[i] & 0xFF;
    }
    return labels;
  }
}
