package dev.tessera.transforms.image;

/**
 * The flip kernel: mirrors a {@code u8} HWC image (or a one-byte-per-pixel mask, {@code c = 1}) left-right or
 * top-bottom into {@code dst}. Exact (a permutation of pixels); {@code src} and {@code dst} must be different
 * arrays. Boxes follow with {@link dev.tessera.transforms.geometry.Boxes#flipHorizontal}.
 *
 * <pre>{@code
 * byte[] mirrored = new byte[src.length];
 * Flip.apply(src, 480, 640, 3, FlipAxis.HORIZONTAL, mirrored);
 * }</pre>
 */
public final class Flip {
  private Flip() {}

  /** Mirrors {@code src} ({@code h x w x c} bytes) along {@code axis} into {@code dst} (same size). */
  public static void apply(byte[] src, int h, int w, int c, FlipAxis axis, byte[] dst) {
    Crop.checkImage("flip", src, h, w, c);
    if (axis == null) {
      throw new IllegalArgumentException("flip.axis must be HORIZONTAL or VERTICAL, but was null.");
    }
    if (dst == null || dst.length != src.length || dst == src) {
      throw new IllegalArgumentException("flip destination must be another array of " + src.length
          + " bytes, but was " + (dst == null ? "null" : dst == src ? "the source itself" : dst.length + " bytes")
          + ".");
    }
    int stride = w * c;
    if (axis == FlipAxis.VERTICAL) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(src, y * stride, dst, (h - 1 - y) * stride, stride);
      }
      return;
    }
    for (int y = 0; y < h; y++) {
      int row = y * stride;
      for (int x = 0; x < w; x++) {
        int s = row + x * c;
        int d = row + (w - 1 - x) * c;
        for (int k = 0; k < c; k++) {
          dst[d + k] = src[s + k];
        }
      }
    }
  }
}
