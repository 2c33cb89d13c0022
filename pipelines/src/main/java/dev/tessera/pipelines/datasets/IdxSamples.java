package dev.tessera.pipelines.datasets;

import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Pairs an IDX image file with its label file and yields {@link Sample}s: uint8, HWC with one channel, ids
 * {@code <dataset>/<split>/<index, 5 digits>} (such as {@code mnist/train/00042}), source
 * {@code <images file name>#<index>}.
 */
public final class IdxSamples {
  private IdxSamples() {}

  /**
   * Emits samples [start, end) in index order. The two files must hold the same number of items.
   *
   * <p>Example: {@code IdxSamples.read(images, labels, "mnist", "test", 0, 100, out::add)}.
   */
  public static void read(IdxImages images, IdxLabels labels, String dataset, String split, int start, int end,
      Consumer<Sample> out) throws IOException {
    if (images.count() != labels.count()) {
      throw new IOException(images.file() + " holds " + images.count() + " images, but " + labels.file()
          + " holds " + labels.count() + " labels; they must belong to the same split");
    }
    int[] labelValues = labels.read(start, end);
    String sourcePrefix = images.file().getFileName() + "#";
    images.forEach(start, end, (index, pixels) -> out.accept(Sample.ofUint8(
        String.format("%s/%s/%05d", dataset, split, index), pixels, images.rows(), images.cols(), 1, Layout.HWC,
        labelValues[index - start], sourcePrefix + index, split)));
  }
}
