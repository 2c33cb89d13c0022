package dev.tessera.transforms.image;

import java.util.Arrays;

/**
 * The mosaic kernel: draws four {@code u8} HWC images onto a canvas as laid out by a {@link MosaicLayout}, either
 * as a {@code u8} HWC canvas ({@link #render}) or straight into a normalized {@code float} CHW canvas
 * ({@link #renderNormalized}: each tile's visible window is resized and normalized in one pass by
 * {@link ResizeNormalize#applyRegion}, with no tile image in between). Both give the same levels as resizing each
 * image with {@link Resize} and copying the visible window.
 */
public final class MosaicKernel {
  private MosaicKernel() {}

  /**
   * Renders the mosaic into {@code dst} ({@code size x size x c} bytes).
   *
   * @param images the four images, HWC, each {@code heights[i] x widths[i] x c} as given to the layout
   */
  public static void render(byte[][] images, int c, MosaicLayout layout, int padValue, Interpolation interpolation,
      byte[] dst) {
    int size = layout.size();
    checkCanvas(dst == null ? -1 : dst.length, size, c);
    Arrays.fill(dst, (byte) padValue);
    for (int i = 0; i < 4; i++) {
      MosaicLayout.Tile t = layout.tiles().get(i);
      if (t.visibleWidth() == 0 || t.visibleHeight() == 0) {
        continue;
      }
      byte[] tile = new byte[t.tileWidth() * t.tileHeight() * c];
      Resize.apply(images[i], t.height(), t.width(), c, t.tileWidth(), t.tileHeight(), interpolation, tile);
      int rowLen = t.visibleWidth() * c;
      for (int y = t.visibleY0(); y < t.visibleY1(); y++) {
        int s = ((y - t.y()) * t.tileWidth() + (t.visibleX0() - t.x())) * c;
        System.arraycopy(tile, s, dst, (y * size + t.visibleX0()) * c, rowLen);
      }
    }
  }

  /**
   * Renders the mosaic normalized into {@code dst} ({@code c x size x size} floats), the padding normalized like a
   * pixel of level {@code padValue}. The kernel's resize size is ignored; its interpolation and normalization are
   * used. {@code kernel} is not thread-safe: one per thread.
   */
  public static void renderNormalized(byte[][] images, int c, MosaicLayout layout, int padValue,
      ResizeNormalize kernel, float[] dst) {
    int size = layout.size();
    checkCanvas(dst == null ? -1 : dst.length, size, c);
    NormalizeSpec n = kernel.normalizeSpec();
    int plane = size * size;
    for (int k = 0; k < c; k++) {
      float pad = Normalize.of(n).lutOf(k)[padValue];
      fillOutside(dst, k * plane, size, layout, pad);
    }
    for (int i = 0; i < 4; i++) {
      MosaicLayout.Tile t = layout.tiles().get(i);
      if (t.visibleWidth() == 0 || t.visibleHeight() == 0) {
        continue;
      }
      kernel.applyRegion(images[i], t.height(), t.width(), c, t.tileWidth(), t.tileHeight(),
          t.visibleX0() - t.x(), t.visibleY0() - t.y(), t.visibleWidth(), t.visibleHeight(), dst, size, size,
          t.visibleX0(), t.visibleY0());
    }
  }

  /** Fills the canvas plane with {@code pad} where no tile is visible (tiles are overwritten later anyway). */
  private static void fillOutside(float[] dst, int offset, int size, MosaicLayout layout, float pad) {
    Arrays.fill(dst, offset, offset + size * size, pad);
  }

  private static void checkCanvas(int length, int size, int c) {
    if (length != size * size * c) {
      throw new IllegalArgumentException("mosaic canvas must hold " + size + "*" + size + "*" + c + " = "
          + (size * size * c) + " elements, but held " + (length < 0 ? "null" : length) + ".");
    }
  }
}
