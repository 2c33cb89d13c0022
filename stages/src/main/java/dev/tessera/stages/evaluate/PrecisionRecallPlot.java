package dev.tessera.stages.evaluate;

import dev.tessera.stages.evaluate.metrics.PrecisionRecallCurve;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws one-vs-rest precision-recall curves as a PNG line chart, one per class with its average precision in the
 * legend.
 *
 * <pre>{@code
 * PrecisionRecallPlot.savePng(PrecisionRecallCurve.oneVsRest(labels, probabilities), classNames,
 *     dir.resolve("pr_curves.png"));
 * }</pre>
 *
 * <p>Curves are drawn as steps, as scikit-learn's display does: precision holds from one recall to the next, so
 * the area under each drawn curve is its average precision.
 */
public final class PrecisionRecallPlot {
  private PrecisionRecallPlot() {}

  /** Width of the image in pixels. */
  public static final int WIDTH = RocCurvePlot.WIDTH;

  /** Height of the image in pixels. */
  public static final int HEIGHT = RocCurvePlot.HEIGHT;

  /** Renders the curves (index = class) and writes them to {@code png} (parent directories created). */
  public static void savePng(List<PrecisionRecallCurve> curves, List<String> classNames, Path png)
      throws IOException {
    PlotStyle.writePng(render(curves, classNames), png);
  }

  /** Renders the curves as an image of {@link #WIDTH} x {@link #HEIGHT} pixels. */
  public static BufferedImage render(List<PrecisionRecallCurve> curves, List<String> classNames) {
    PlotStyle.requireOneNamePerCurve(curves.size(), classNames, "Precision-recall");
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Precision-recall curves, one class vs rest").xAxisTitle("Recall").yAxisTitle("Precision")
        .build();
    PlotStyle.unitSquare(chart, Styler.LegendPosition.InsideSW);
    for (int c = 0; c < curves.size(); c++) {
      PrecisionRecallCurve curve = curves.get(c);
      double[][] steps = steps(curve);
      PlotStyle.line(chart.addSeries(PlotStyle.label(classNames.get(c), "AP", curve.averagePrecision()), steps[0],
          steps[1]), PlotStyle.color(c));
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** The step outline {x = recall, y = precision}: from each point, precision holds until the next recall. */
  private static double[][] steps(PrecisionRecallCurve curve) {
    double[] recall = curve.recall();
    double[] precision = curve.precision();
    int n = recall.length;
    double[] x = new double[2 * n - 1];
    double[] y = new double[2 * n - 1];
    for (int i = 0; i < n; i++) {
      x[2 * i] = recall[i];
      y[2 * i] = precision[i];
      if (i + 1 < n) {
        x[2 * i + 1] = recall[i + 1];
        y[2 * i + 1] = precision[i];
      }
    }
    return new double[][] {x, y};
  }
}
