package dev.tessera.stages.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The optimization history of a sweep: every finished trial's objective, and the best so far, as a PNG. */
final class SweepPlot {
  private SweepPlot() {}

  static void savePng(List<SweepRecord> records, String objective, Direction direction, Path png)
      throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(500).title("Sweep: " + objective + " per trial")
        .xAxisTitle("Trial").yAxisTitle(objective).build();
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    List<Double> bestYs = new ArrayList<>();
    Double best = null;
    for (SweepRecord record : records) {
      if (!record.finished()) {
        continue;
      }
      best = best == null || direction.better(record.value(), best) ? record.value() : best;
      xs.add((double) record.index());
      ys.add(record.value());
      bestYs.add(best);
    }
    XYSeries trials = chart.addSeries("trial", xs, ys);
    trials.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.addSeries("best so far", xs, bestYs).setMarker(SeriesMarkers.NONE);
    Files.createDirectories(png.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
