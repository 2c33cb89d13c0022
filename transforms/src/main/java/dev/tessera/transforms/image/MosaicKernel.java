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
    Normalize n = kernel.normalizer();
    int plane = size * size;
    for (int k = 0; k < c; k++) {
      fillOutside(dst, k * plane, size, layout, n.lutOf(k)[padValue]);
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

  /**
   * Fills the canvas plane with {@code pad} where no tile is visible: row by row, the gaps between the visible
   * tile spans (tiles draw the rest, so the canvas is not written twice).
   */
  private static void fillOutside(float[] dst, int offset, int size, MosaicLayout layout, float pad) {
    int[] x0 = new int[4];
    int[] x1 = new int[4];
    for (int y = 0; y < size; y++) {
      int n = 0;
      for (MosaicLayout.Tile t : layout.tiles()) {
        if (t.visibleWidth() > 0 && y >= t.visibleY0() && y < t.visibleY1()) {
          // Insertion by start column: at most four spans.
          int i = n++;
          for (; i > 0 && x0[i - 1] > t.visibleX0(); i--) {
            x0[i] = x0[i - 1];
            x1[i] = x1[i - 1];
          }
          x0[i] = t.visibleX0();
          x1[i] = t.visibleX1();
        }
      }
      int row = offset + y * size;
      int x = 0;
      for (int i = 0; i < n; i++) {
        if (x0[i] > x) {
          Arrays.fill(dst, row + x, row + x0[i], pad);
        }
        x = Math.max(x, x1[i]);
      }
      if (x < size) {
        Arrays.fill(dst, row + x, row + size, pad);
      }
    }
  }

  private static void checkCanvas(int length, int size, int c) {
    if (length != size * size * c) {
      throw new IllegalArgumentException("mosaic canvas must hold " + size + "*" + size + "*" + c + " = "
          + (size * size * c) + " elements, but held " + (length < 0 ? "null" : length) + ".");
    }
  }
}
