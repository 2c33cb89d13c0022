package dev.tessera.stages.segmentation;

import dev.tessera.transforms.sample.Sample;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG grid of images with their predicted masks tinted and the ground truth's class boundaries drawn: each tile
 * is the image in gray, every pixel predicted as a tinted class blended with that class's colour (40%), and every
 * pixel on a ground-truth boundary (its class differs from a 4-neighbour's) painted green, so missed and extra
 * predictions show as tint away from the green lines. Tiles keep the images' own size; the sample id is written
 * on each.
 */
public final class MaskOverlay {
  /** Tint colours by class, cycled; the boundary colour is green and not among them. */
  private static final Color[] TINTS = {new Color(230, 40, 40), new Color(40, 110, 255), new Color(255, 200, 0),
      new Color(200, 0, 200), new Color(0, 200, 200)};
  private static final int BOUNDARY = new Color(0, 230, 0).getRGB();
  private static final float ALPHA = 0.4f;

  private MaskOverlay() {}

  /** One image with its prediction. */
  public record Item(Sample sample, byte[] predicted) {}

  /**
   * Writes the grid of {@code items} (up to 3 tiles per row) to {@code png}.
   *
   * @param tinted which classes are tinted, by index (for example only the membranes, not the cells around them)
   */
  public static void savePng(List<Item> items, boolean[] tinted, Path png) throws IOException {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("the overlay needs at least one image, but got none");
    }
    int columns = Math.min(3, items.size());
    int rows = (items.size() + columns - 1) / columns;
    int tileW = items.stream().mapToInt(i -> i.sample().width()).max().orElseThrow();
    int tileH = items.stream().mapToInt(i -> i.sample().height()).max().orElseThrow();
    BufferedImage grid = new BufferedImage(columns * tileW, rows * tileH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, tileW / 32)));
    for (int i = 0; i < items.size(); i++) {
      int ox = (i % columns) * tileW;
      int oy = (i / columns) * tileH;
      draw(grid, items.get(i), tinted, ox, oy);
      g.setColor(Color.YELLOW);
      g.drawString(items.get(i).sample().id(), ox + 6, oy + g.getFont().getSize() + 4);
    }
    g.dispose();
    ImageIO.write(grid, "png", png.toFile());
  }

  private static void draw(BufferedImage grid, Item item, boolean[] tinted, int ox, int oy) {
    Sample s = item.sample();
    int w = s.width();
    int h = s.height();
    byte[] truth = s.mask();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        int gray = s.pixels()[p * s.channels()] & 0xFF;
        int r = gray;
        int gr = gray;
        int b = gray;
        int predicted = item.predicted()[p] & 0xFF;
        if (predicted < tinted.length && tinted[predicted]) {
          Color tint = TINTS[predicted % TINTS.length];
          r = Math.round(gray * (1 - ALPHA) + tint.getRed() * ALPHA);
          gr = Math.round(gray * (1 - ALPHA) + tint.getGreen() * ALPHA);
          b = Math.round(gray * (1 - ALPHA) + tint.getBlue() * ALPHA);
        }
        boolean boundary = truth != null && ((x + 1 < w && truth[p + 1] != truth[p])
            || (y + 1 < h && truth[p + w] != truth[p]) || (x > 0 && truth[p - 1] != truth[p])
            || (y > 0 && truth[p - w] != truth[p]));
        grid.setRGB(ox + x, oy + y, boundary ? BOUNDARY : (r << 16) | (gr << 8) | b);
      }
    }
  }
}
