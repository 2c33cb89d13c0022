package dev.tessera.stages.evaluate;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Draws a confusion matrix as a PNG heat map with the count in every cell (XChart; works headless).
 *
 * <pre>{@code
 * ConfusionMatrixPlot.savePng(matrix, classNames, dir.resolve("confusion.png"));
 * }</pre>
 *
 * <p>Rows (y, top to bottom) are actual classes, columns (x) predicted classes, as in scikit-learn's display.
 */
public final class ConfusionMatrixPlot {
  private ConfusionMatrixPlot() {}

  /** Base size in pixels; grows with the class count so the counts stay readable. */
  static final int MIN_SIZE = 600;

  /** The image's width and height in pixels for a matrix of {@code classes} classes. */
  public static int sizeFor(int classes) {
    return Math.max(MIN_SIZE, 200 + 60 * classes);
  }

  /** Renders the plot and writes it to {@code png} (parent directories created). */
  public static void savePng(ConfusionMatrix matrix, List<String> classNames, Path png) throws IOException {
    BufferedImage image = render(matrix, classNames);
    PlotStyle.writePng(image, png);
  }

  /** Renders the plot as an image of {@link #sizeFor} pixels square. */
  public static BufferedImage render(ConfusionMatrix matrix, List<String> classNames) {
    int classes = matrix.classes();
    if (classNames.size() != classes) {
      throw new IllegalArgumentException(
          "classNames must have one name per class (" + classes + "), but had " + classNames.size());
    }
    int size = sizeFor(classes);
    HeatMapChart chart = new HeatMapChartBuilder()
        .width(size)
        .height(size)
        .title("Confusion matrix (" + matrix.total() + " samples)")
        .xAxisTitle("Predicted")
        .yAxisTitle("Actual")
        .build();
    chart.getStyler()
        .setShowValue(true)
        .setHeatMapValueDecimalPattern("#")
        .setValueFontColor(Color.BLACK)
        .setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214), new Color(8, 48, 107)})
        .setMin(0)
        .setMax(Math.max(1, maxCount(matrix)));
    chart.getStyler().setPlotContentSize(1.0);
    // XChart draws y categories bottom-up; list them reversed so actual class 0 is the top row.
    List<String> xNames = new ArrayList<>(classNames);
    List<String> yNames = new ArrayList<>(classNames);
    Collections.reverse(yNames);
    List<Number[]> cells = new ArrayList<>(classes * classes);
    for (int actual = 0; actual < classes; actual++) {
      for (int predicted = 0; predicted < classes; predicted++) {
        cells.add(new Number[] {predicted, classes - 1 - actual, matrix.count(actual, predicted)});
      }
    }
    chart.addSeries("counts", xNames, yNames, cells);
    return BitmapEncoder.getBufferedImage(chart);
  }

  private static long maxCount(ConfusionMatrix matrix) {
    long max = 0;
    for (long[] row : matrix.counts()) {
      for (long c : row) {
        max = Math.max(max, c);
      }
    }
    return max;
  }
}
