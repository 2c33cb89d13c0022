package dev.tessera.transforms.image;

/**
 * The crop kernel: copies the window {@code [x, x + cw) x [y, y + ch)} of a {@code u8} HWC image (or a mask with
 * {@code c = 1}) into {@code dst}. Exact; the window must lie inside the image. Boxes follow with
 * {@link dev.tessera.transforms.geometry.Boxes#affine} (shift by {@code -x, -y}) then
 * {@link dev.tessera.transforms.geometry.Boxes#clip}.
 *
 * <pre>{@code
 * byte[] patch = new byte[224 * 224 * 3];
 * Crop.apply(src, 480, 640, 3, 100, 50, 224, 224, patch);
 * }</pre>
 */
public final class Crop {
  private Crop() {}

  /** Copies the window into {@code dst} ({@code ch x cw x c} bytes). */
  public static void apply(byte[] src, int h, int w, int c, int x, int y, int cw, int ch, byte[] dst) {
    checkImage("crop", src, h, w, c);
    if (cw <= 0 || ch <= 0 || x < 0 || y < 0 || x + cw > w || y + ch > h) {
      throw new IllegalArgumentException("crop window [" + x + ", " + (x + cw) + ") x [" + y + ", " + (y + ch)
          + ") must be non-empty and inside the " + w + "x" + h + " image.");
    }
    if (dst == null || dst.length != cw * ch * c) {
      throw new IllegalArgumentException("crop destination must hold " + cw + "*" + ch + "*" + c + " = "
          + (cw * ch * c) + " bytes (HWC), but held " + (dst == null ? "null" : dst.length) + ".");
    }
    int rowLen = cw * c;
    for (int r = 0; r < ch; r++) {
      System.arraycopy(src, ((y + r) * w + x) * c, dst, r * rowLen, rowLen);
    }
  }

  static void checkImage(String kernel, byte[] src, int h, int w, int c) {
    if (h <= 0 || w <= 0 || c <= 0) {
      throw new IllegalArgumentException(kernel + " input must have positive height, width and channels, but was "
          + h + "x" + w + "x" + c + ".");
    }
    long len = (long) h * w * c;
    if (src == null || src.length != len) {
      throw new IllegalArgumentException(kernel + " input must hold h*w*c = " + h + "*" + w + "*" + c + " = " + len
          + " bytes (HWC), but held " + (src == null ? "null" : src.length) + ".");
    }
  }
}
