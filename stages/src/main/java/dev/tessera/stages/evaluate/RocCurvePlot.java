package dev.tessera.stages.evaluate;

import dev.tessera.stages.evaluate.metrics.RocCurve;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;

/**
 * Draws one-vs-rest ROC curves as a PNG line chart: one curve per class with its AUC in the legend, their macro
 * average (thick, black) when there is more than one, and the chance diagonal (dashed).
 *
 * <pre>{@code
 * RocCurvePlot.savePng(RocCurve.oneVsRest(labels, probabilities), classNames, dir.resolve("roc_curves.png"));
 * }</pre>
 *
 * <p>The macro-average curve is the mean of the per-class true-positive rates on a grid of {@value #GRID} + 1
 * evenly spaced false-positive rates (each class's curve read at its highest point at that rate, linearly between
 * points); its legend shows the mean of the per-class AUCs, which is scikit-learn's macro ROC AUC.
 */
public final class RocCurvePlot {
  private RocCurvePlot() {}

  /** Width of the image in pixels. */
  public static final int WIDTH = 800;

  /** Height of the image in pixels. */
  public static final int HEIGHT = 700;

  /** Intervals of the false-positive-rate grid the macro average is computed on. */
  static final int GRID = 1000;

  /** Renders the curves (index = class) and writes them to {@code png} (parent directories created). */
  public static void savePng(List<RocCurve> curves, List<String> classNames, Path png) throws IOException {
    PlotStyle.writePng(render(curves, classNames), png);
  }

  /** Renders the curves as an image of {@link #WIDTH} x {@link #HEIGHT} pixels. */
  public static BufferedImage render(List<RocCurve> curves, List<String> classNames) {
    PlotStyle.requireOneNamePerCurve(curves.size(), classNames, "ROC");
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("ROC curves, one class vs rest").xAxisTitle("False positive rate").yAxisTitle("True positive rate")
        .build();
    PlotStyle.unitSquare(chart, Styler.LegendPosition.InsideSE);
    PlotStyle.line(chart.addSeries("chance (AUC 0.5)", new double[] {0, 1}, new double[] {0, 1}), Color.GRAY)
        .setLineStyle(SeriesLines.DASH_DASH);
    double aucSum = 0;
    for (int c = 0; c < curves.size(); c++) {
      RocCurve curve = curves.get(c);
      double auc = curve.auc();
      aucSum += auc;
      PlotStyle.line(chart.addSeries(PlotStyle.label(classNames.get(c), "AUC", auc), curve.fpr(), curve.tpr()),
          PlotStyle.color(c));
    }
    if (curves.size() > 1) {
      double[] grid = new double[GRID + 1];
      for (int g = 0; g <= GRID; g++) {
        grid[g] = (double) g / GRID;
      }
      double[] mean = new double[GRID + 1];
      for (RocCurve curve : curves) {
        double[] tpr = tprOn(curve, grid);
        for (int g = 0; g <= GRID; g++) {
          mean[g] += tpr[g] / curves.size();
        }
      }
      PlotStyle.line(chart.addSeries(PlotStyle.label("macro average", "mean AUC", aucSum / curves.size()), grid,
          mean), Color.BLACK).setLineWidth(3f);
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  /**
   * The curve's true-positive rate at each of the increasing false-positive rates {@code grid}: at a rate the curve
   * has several points for (a vertical step), the highest; between points, linear. One pass over the curve.
   */
  static double[] tprOn(RocCurve curve, double[] grid) {
    double[] fpr = curve.fpr();
    double[] tpr = curve.tpr();
    double[] out = new double[grid.length];
    int last = 0;
    for (int g = 0; g < grid.length; g++) {
      double x = grid[g];
      while (last + 1 < fpr.length && fpr[last + 1] <= x) {
        last++;
      }
      if (last + 1 == fpr.length) {
        out[g] = tpr[last];
      } else {
        double t = (x - fpr[last]) / (fpr[last + 1] - fpr[last]);
        out[g] = tpr[last] + t * (tpr[last + 1] - tpr[last]);
      }
    }
    return out;
  }
}
