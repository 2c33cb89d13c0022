package dev.tessera.transforms.image;

import dev.tessera.transforms.geometry.Boxes;
import dev.tessera.transforms.sample.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the four tiles of a mosaic go on the canvas: computed from the spec, the centre and the four image sizes,
 * then used for pixels ({@link MosaicKernel}) and boxes ({@link #boxes}) alike, so they cannot disagree.
 *
 * @param size canvas side
 * @param centerX centre column
 * @param centerY centre row
 * @param tiles the four tiles in order (0 top-left of the centre, 1 top-right, 2 bottom-left, 3 bottom-right)
 */
public record MosaicLayout(int size, int centerX, int centerY, List<Tile> tiles) {

  /**
   * One tile: the source image ({@code width x height}) resized to {@code tileWidth x tileHeight}, whose origin
   * lands at canvas {@code (x, y)} (possibly negative); the visible part is canvas
   * {@code [visibleX0, visibleX1) x [visibleY0, visibleY1)}, possibly empty.
   */
  public record Tile(int width, int height, int tileWidth, int tileHeight, int x, int y, int visibleX0,
      int visibleY0, int visibleX1, int visibleY1) {
    public int visibleWidth() {
      return Math.max(0, visibleX1 - visibleX0);
    }

    public int visibleHeight() {
      return Math.max(0, visibleY1 - visibleY0);
    }
  }

  /** The layout of a half-scale mosaic (tiles of side {@code size / 2}) around a centre. */
  public static MosaicLayout of(int size, int centerX, int centerY, int[] heights, int[] widths) {
    return of(size, size / 2, centerX, centerY, heights, widths);
  }

  /**
   * The layout for images of the given sizes ({@code heights[i] x widths[i]}, four each) around a centre, each
   * resized so its longer side is {@code tileSide}.
   */
  public static MosaicLayout of(int size, int tileSide, int centerX, int centerY, int[] heights, int[] widths) {
    if (heights.length != 4 || widths.length != 4) {
      throw new IllegalArgumentException("mosaic needs exactly 4 images, but got " + heights.length + ".");
    }
    if (centerX < 0 || centerX > size || centerY < 0 || centerY > size) {
      throw new IllegalArgumentException("mosaic centre (" + centerX + ", " + centerY + ") must lie on the "
          + size + "x" + size + " canvas.");
    }
    List<Tile> tiles = new ArrayList<>(4);
    for (int i = 0; i < 4; i++) {
      int h = heights[i];
      int w = widths[i];
      double r = (double) tileSide / Math.max(h, w);
      int tw = (int) Math.max(1, Math.round(w * r));
      int th = (int) Math.max(1, Math.round(h * r));
      int x = (i == 0 || i == 2) ? centerX - tw : centerX;
      int y = (i == 0 || i == 1) ? centerY - th : centerY;
      tiles.add(new Tile(w, h, tw, th, x, y, Math.max(0, x), Math.max(0, y), Math.min(size, x + tw),
          Math.min(size, y + th)));
    }
    return new MosaicLayout(size, centerX, centerY, List.copyOf(tiles));
  }

  /** Boxes of image {@code i} mapped onto the canvas, clipped to the tile's visible part and filtered. */
  public List<Box> boxes(int i, List<Box> boxes, double minArea, double minVisible) {
    Tile t = tiles.get(i);
    List<Box> moved = Boxes.affine(boxes, (double) t.tileWidth() / t.width(), (double) t.tileHeight() / t.height(),
        t.x(), t.y());
    if (t.visibleWidth() == 0 || t.visibleHeight() == 0) {
      return moved == null ? null : List.of();
    }
    return Boxes.clip(moved, t.visibleX0(), t.visibleY0(), t.visibleX1(), t.visibleY1(), minArea, minVisible);
  }
}
