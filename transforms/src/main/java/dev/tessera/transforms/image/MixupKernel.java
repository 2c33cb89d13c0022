package dev.tessera.transforms.image;

/**
 * The mixup kernel: {@code dst = round(ratio * a + (1 - ratio) * b)} per element of two {@code u8} HWC images of the
 * same shape. Deterministic; exact at ratio 0 and 1.
 */
public final class MixupKernel {
  private MixupKernel() {}

  /** Blends {@code a} and {@code b} (same length) into {@code dst} with weight {@code ratio} on {@code a}. */
  public static void apply(byte[] a, byte[] b, double ratio, byte[] dst) {
    if (a == null || b == null || dst == null || a.length != b.length || dst.length != a.length) {
      throw new IllegalArgumentException("mixup needs two images and a destination of the same length, but had "
          + (a == null ? "null" : a.length) + ", " + (b == null ? "null" : b.length) + " and "
          + (dst == null ? "null" : dst.length) + " bytes.");
    }
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("mixup ratio must be in [0, 1], but was " + ratio + ".");
    }
    // 16-bit fixed point keeps the blend exact at the ends and within half a level elsewhere.
    int wa = (int) Math.round(ratio * 65536);
    int wb = 65536 - wa;
    for (int i = 0; i < a.length; i++) {
      dst[i] = (byte) (((a[i] & 0xFF) * wa + (b[i] & 0xFF) * wb + 32768) >>> 16);
    }
  }
}
