package dev.tessera.stages.detection.evaluate;

import dev.tessera.stages.detection.nms.Detection;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG grid of evaluated images (u8 RGB originals): ground-truth boxes in green, predicted boxes in red with class
 * name and score, each image fitted into a square cell with its aspect kept.
 */
final class DetectionGrid {
  private static final int CELL = 256;
  private static final int COLUMNS = 4;
  private static final int PAD = 4;

  private DetectionGrid() {}

  /** Draws {@code samples} with their {@code results} (same order) and writes the PNG. */
  static void write(List<Sample> samples, List<ImageResult> results, List<String> classes, double minScore,
      Path png) throws IOException {
    int rows = Math.max(1, (samples.size() + COLUMNS - 1) / COLUMNS);
    BufferedImage grid = new BufferedImage(COLUMNS * (CELL + PAD) + PAD, rows * (CELL + PAD) + PAD,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    try {
      g.setColor(Color.DARK_GRAY);
      g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      g.setStroke(new BasicStroke(1.5f));
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        double scale = Math.min((double) CELL / s.width(), (double) CELL / s.height());
        int x0 = PAD + (i % COLUMNS) * (CELL + PAD);
        int y0 = PAD + (i / COLUMNS) * (CELL + PAD);
        g.drawImage(toImage(s), x0, y0, (int) Math.round(s.width() * scale), (int) Math.round(s.height() * scale),
            null);
        g.setColor(Color.GREEN);
        for (Box b : results.get(i).truth()) {
          rect(g, x0, y0, scale, b.x1(), b.y1(), b.x2(), b.y2());
        }
        drawDetections(g, x0, y0, scale, results.get(i).detections(), classes, minScore);
      }
    } finally {
      g.dispose();
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(grid, "png", png.toFile());
  }

  /** Draws one image (u8 RGB HWC) at full size with its {@code detections} and writes the PNG. */
  static void writeImage(byte[] pixels, int height, int width, List<Detection> detections, List<String> classes,
      double minScore, Path png) throws IOException {
    BufferedImage image = toImage(pixels, height, width);
    Graphics2D g = image.createGraphics();
    try {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.setStroke(new BasicStroke(2f));
      drawDetections(g, 0, 0, 1, detections, classes, minScore);
    } finally {
      g.dispose();
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(image, "png", png.toFile());
  }

  /**
   * Draws {@code detections} scoring at least {@code minScore} in red with class name and score, an image's pixel
   * (x, y) at {@code (x0 + x scale, y0 + y scale)}.
   */
  static void drawDetections(Graphics2D g, int x0, int y0, double scale, List<Detection> detections,
      List<String> classes, double minScore) {
    g.setColor(Color.RED);
    for (Detection d : detections) {
      if (d.score() >= minScore) {
        rect(g, x0, y0, scale, d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2());
        String name = d.classId() < classes.size() ? classes.get(d.classId()) : Integer.toString(d.classId());
        g.drawString(String.format(Locale.ROOT, "%s %.2f", name, d.score()),
            x0 + (int) (d.box().x1() * scale) + 2, y0 + Math.max(10, (int) (d.box().y1() * scale) - 2));
      }
    }
  }

  private static void rect(Graphics2D g, int x0, int y0, double scale, double x1, double y1, double x2, double y2) {
    g.drawRect(x0 + (int) Math.round(x1 * scale), y0 + (int) Math.round(y1 * scale),
        (int) Math.round((x2 - x1) * scale), (int) Math.round((y2 - y1) * scale));
  }

  private static BufferedImage toImage(Sample s) {
    return toImage(s.pixels(), s.height(), s.width());
  }

  /** u8 RGB HWC pixels as an image. */
  static BufferedImage toImage(byte[] px, int height, int width) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = (y * width + x) * 3;
        image.setRGB(x, y, (px[p] & 0xFF) << 16 | (px[p + 1] & 0xFF) << 8 | (px[p + 2] & 0xFF));
      }
    }
    return image;
  }
}
