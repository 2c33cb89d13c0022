package dev.tessera.stages.segmentation;

/**
 * Per-pixel logits {@code (classes, h, w)} of one image, and the mask they give at another size: the logits are
 * resized bilinearly (half-pixel centres, edges clamped, as {@code cv::resize}'s {@code INTER_LINEAR}) and each
 * pixel takes the class with the largest value (ties: the lowest class). Resizing logits rather than the
 * predicted mask keeps thin structures (membranes) whole when a model ran on a downscaled copy of the image.
 */
final class PixelLogits {
  private PixelLogits() {}

  /**
   * The mask of {@code outW x outH} pixels of the logits {@code values}, laid out {@code (classes, h, w)}.
   *
   * @param offset where this image's logits start in {@code values}
   */
  static byte[] argmaxResized(float[] values, int offset, int classes, int h, int w, int outW, int outH) {
    int[] x0 = new int[outW];
    int[] x1 = new int[outW];
    float[] fx = new float[outW];
    taps(w, outW, x0, x1, fx);
    int[] y0 = new int[outH];
    int[] y1 = new int[outH];
    float[] fy = new float[outH];
    taps(h, outH, y0, y1, fy);
    byte[] mask = new byte[outW * outH];
    int plane = h * w;
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
          int base = offset + c * plane;
          float top = values[base + y0[y] * w + x0[x]] * (1 - fx[x]) + values[base + y0[y] * w + x1[x]] * fx[x];
          float bottom = values[base + y1[y] * w + x0[x]] * (1 - fx[x]) + values[base + y1[y] * w + x1[x]] * fx[x];
          float value = top * (1 - fy[y]) + bottom * fy[y];
          if (value > bestValue) {
            bestValue = value;
            best = c;
          }
        }
        mask[y * outW + x] = (byte) best;
      }
    }
    return mask;
  }

  /** For each output index, the two source indices and the weight of the second (half-pixel centres, clamped). */
  private static void taps(int size, int outSize, int[] first, int[] second, float[] weight) {
    double scale = (double) size / outSize;
    for (int i = 0; i < outSize; i++) {
      double at = Math.max(0, (i + 0.5) * scale - 0.5);
      int lo = Math.min((int) Math.floor(at), size - 1);
      first[i] = lo;
      second[i] = Math.min(lo + 1, size - 1);
      weight[i] = (float) (at - lo);
    }
  }
}
