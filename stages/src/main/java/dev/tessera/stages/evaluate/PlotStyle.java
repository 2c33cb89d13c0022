package dev.tessera.stages.evaluate;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** What the plots share: a palette, the unit-square style of the curve charts, legend labels, writing a PNG. */
final class PlotStyle {
  private PlotStyle() {}

  /** Matplotlib's "tab10" colours, so class k has the same colour in every plot. */
  private static final Color[] PALETTE = {
      new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
      new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
      new Color(188, 189, 34), new Color(23, 190, 207)};

  /** The colour of series (class) {@code index}; repeats after ten. */
  static Color color(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** Writes {@code image} to {@code png}, creating parent directories. */
  static void writePng(BufferedImage image, Path png) throws IOException {
    if (png.getParent() != null) {
      Files.createDirectories(png.getParent());
    }
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("No PNG writer available to write " + png);
    }
  }

  /** Axes from 0 to 1 (y a little above, so a curve at 1 stays visible), white, light grid. */
  static void unitSquare(XYChart chart, Styler.LegendPosition legend) {
    XYStyler styler = chart.getStyler();
    styler.setXAxisMin(0.0);
    styler.setXAxisMax(1.0);
    styler.setYAxisMin(0.0);
    styler.setYAxisMax(1.02);
    styler.setLegendPosition(legend);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotGridLinesColor(new Color(225, 225, 225));
    styler.setPlotGridLinesStroke(new BasicStroke(1f));
    styler.setLegendBackgroundColor(new Color(255, 255, 255, 220));
  }

  /** Draws {@code series} as a plain line (no markers) in {@code color}. */
  static XYSeries line(XYSeries series, Color color) {
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    return series;
  }

  /** A legend entry such as {@code "3 (AUC 0.9871)"}. */
  static String label(String name, String metric, double value) {
    return String.format(Locale.ROOT, "%s (%s %.4f)", name, metric, value);
  }

  /** Checks that there are curves and one class name per curve. */
  static void requireOneNamePerCurve(int curves, List<String> classNames, String what) {
    if (curves == 0) {
      throw new IllegalArgumentException(what + " plot needs at least one curve, but got none");
    }
    if (classNames.size() != curves) {
      throw new IllegalArgumentException(what + " plot: classNames must have one name per curve (" + curves
          + "), but had " + classNames.size());
    }
  }
}
