package dev.tessera.transforms.image;

import java.util.Arrays;

/**
 * The letterbox kernel ({@link LetterboxSpec}): keep-ratio resize so the longer side is {@code size}, centred on a
 * square of {@code paddedSide()} filled with {@code padValue}. The resized size is {@code round(w * r)} by
 * {@code round(h * r)} with {@code r = size / max(w, h)}; the left/top padding is the floor of half the slack.
 *
 * <pre>{@code
 * LetterboxSpec spec = new LetterboxSpec(416, 32, 114, Interpolation.BILINEAR);
 * byte[] out = new byte[416 * 416 * 3];
 * LetterboxGeometry g = Letterbox.apply(src, 480, 640, 3, spec, out); // 640x480 -> 416x312 at (0, 52)
 * List<Box> original = g.unletterbox(detections);
 * }</pre>
 */
public final class Letterbox {
  private Letterbox() {}

  /** Where an {@code h x w} image lands under {@code spec}, without touching pixels. */
  public static LetterboxGeometry geometry(int h, int w, LetterboxSpec spec) {
    if (h <= 0 || w <= 0) {
      throw new IllegalArgumentException("letterbox input must have positive height and width, but was " + h + "x"
          + w + ".");
    }
    double r = (double) spec.size() / Math.max(h, w);
    int rw = Math.max(1, Math.min(spec.size(), (int) Math.round(w * r)));
    int rh = Math.max(1, Math.min(spec.size(), (int) Math.round(h * r)));
    int side = spec.paddedSide();
    return new LetterboxGeometry(w, h, rw, rh, (side - rw) / 2, (side - rh) / 2, side);
  }

  /** Letterboxes {@code src} ({@code h x w x c} u8 HWC) into {@code dst} ({@code side x side x c}). */
  public static LetterboxGeometry apply(byte[] src, int h, int w, int c, LetterboxSpec spec, byte[] dst) {
    return apply(src, h, w, c, spec, spec.interpolation(), spec.padValue(), dst);
  }

  /**
   * Letterboxes a mask ({@code h x w}, one byte per pixel), padding 0, resized with
   * {@link Interpolation#forMasks()} of the spec's interpolation: nearest-exact beside a bilinear image, so the
   * mask's edges stay on the image's (OpenCV's {@code INTER_NEAREST} would move them by up to half a source pixel).
   */
  public static LetterboxGeometry applyMask(byte[] mask, int h, int w, LetterboxSpec spec, byte[] dst) {
    return apply(mask, h, w, 1, spec, spec.interpolation().forMasks(), 0, dst);
  }

  private static LetterboxGeometry apply(byte[] src, int h, int w, int c, LetterboxSpec spec,
      Interpolation interpolation, int pad, byte[] dst) {
    Crop.checkImage("letterbox", src, h, w, c);
    LetterboxGeometry g = geometry(h, w, spec);
    int side = g.outSide();
    if (dst == null || dst.length != side * side * c) {
      throw new IllegalArgumentException("letterbox destination must hold " + side + "*" + side + "*" + c + " = "
          + (side * side * c) + " bytes (HWC), but held " + (dst == null ? "null" : dst.length) + ".");
    }
    byte[] resized = new byte[g.resizedWidth() * g.resizedHeight() * c];
    Resize.apply(src, h, w, c, g.resizedWidth(), g.resizedHeight(), interpolation, resized);
    Arrays.fill(dst, (byte) pad);
    int rowLen = g.resizedWidth() * c;
    for (int y = 0; y < g.resizedHeight(); y++) {
      System.arraycopy(resized, y * rowLen, dst, ((g.padTop() + y) * side + g.padLeft()) * c, rowLen);
    }
    return g;
  }
}
