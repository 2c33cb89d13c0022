package dev.tessera.transforms.image;

/**
 * OpenCV's {@code INTER_LINEAR} sampling along one axis: for each output index, the two source indices it blends
 * and their weights in fixed point (scaled by 2^11, {@code INTER_RESIZE_COEF_BITS}). Half-pixel centres, clamped at
 * the edges, weights rounded half to even as {@code saturate_cast<short>} does. The one place this arithmetic
 * lives, so that {@link Resize} and {@link ResizeNormalize} stay bit-identical.
 */
final class BilinearTaps {
  /** OpenCV's {@code INTER_RESIZE_COEF_BITS}. */
  static final int COEF_BITS = 11;
  static final int COEF_SCALE = 1 << COEF_BITS;

  final int[] src0;
  final int[] src1;
  final int[] weight0;
  final int[] weight1;

  private BilinearTaps(int count) {
    src0 = new int[count];
    src1 = new int[count];
    weight0 = new int[count];
    weight1 = new int[count];
  }

  /** Taps for output indices {@code first .. first+count-1} of a {@code srcLen -> dstLen} resize. */
  static BilinearTaps of(int srcLen, int dstLen, int first, int count) {
    BilinearTaps taps = new BilinearTaps(count);
    double scale = 1.0 / ((double) dstLen / srcLen);
    for (int i = 0; i < count; i++) {
      float f = (float) ((first + i + 0.5) * scale - 0.5);
      int s = (int) Math.floor(f);
      f -= s;
      if (s < 0) {
        f = 0;
        s = 0;
      }
      if (s >= srcLen - 1) {
        f = 0;
        s = srcLen - 1;
      }
      taps.src0[i] = s;
      taps.src1[i] = Math.min(s + 1, srcLen - 1);
      taps.weight0[i] = (int) Math.rint((1f - f) * COEF_SCALE);
      taps.weight1[i] = (int) Math.rint(f * COEF_SCALE);
    }
    return taps;
  }
}
