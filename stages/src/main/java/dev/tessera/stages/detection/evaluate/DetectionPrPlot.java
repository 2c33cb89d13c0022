package dev.tessera.stages.detection.evaluate;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Per-class precision-recall curves of a detector at IoU 0.5 (VOC matching), one line per class labelled with its
 * AP, as a PNG. Each curve has one point per detection in descending score order; recall ends below 1 when some
 * boxes were never found.
 */
final class DetectionPrPlot {
  private static final Color[] COLORS = {new Color(230, 25, 75), new Color(60, 180, 75), new Color(0, 130, 200),
      new Color(245, 130, 48), new Color(145, 30, 180), new Color(70, 140, 140)};

  private DetectionPrPlot() {}

  /**
   * Writes the curves to {@code png}.
   *
   * @param curves per class {@code {recall, precision}} (empty arrays: not drawn)
   * @param names class names, one per curve
   * @param ap per class AP at IoU 0.5 (for the legend)
   */
  static void savePng(List<double[][]> curves, List<String> names, List<Double> ap, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(640).height(480)
        .title("Precision-recall per class, IoU 0.5").xAxisTitle("Recall").yAxisTitle("Precision").build();
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0)
        .setLegendPosition(Styler.LegendPosition.InsideSW).setChartBackgroundColor(Color.WHITE);
    boolean any = false;
    for (int c = 0; c < curves.size(); c++) {
      double[][] curve = curves.get(c);
      if (curve[0].length == 0) {
        continue;
      }
      any = true;
      XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s (AP %.3f)", names.get(c), ap.get(c)),
          curve[0], curve[1]);
      series.setMarker(SeriesMarkers.NONE);
      series.setLineColor(COLORS[c % COLORS.length]);
    }
    if (!any) {
      chart.addSeries("no detections", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
    }
    java.nio.file.Files.createDirectories(png.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
