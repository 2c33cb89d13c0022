package dev.tessera.stages.train;

/**
 * One batch of images and labels as plain arrays. The arrays are handed over, not copied: a source must not
 * modify them after yielding the batch, and a consumer must not modify them either.
 *
 * @param images {@code count} samples in NCHW order, float32; at least {@code count * C * H * W} values
 * @param labels class indices in {@code [0, classes)}; at least {@code count} values
 * @param count samples in this batch, >= 1 (the last batch of an epoch may be smaller)
 */
public record ImageBatch(float[] images, int[] labels, int count) {

  public ImageBatch {
    if (images == null || labels == null) {
      throw new IllegalArgumentException("batch.images and batch.labels must not be null");
    }
    if (count < 1 || count > labels.length || count > images.length) {
      throw new IllegalArgumentException(
          "batch.count must be in [1, labels.length=" + labels.length + "], but was " + count);
    }
  }

  /** A batch whose arrays hold exactly {@code labels.length} samples. */
  public static ImageBatch of(float[] images, int[] labels) {
    return new ImageBatch(images, labels, labels.length);
  }
}
