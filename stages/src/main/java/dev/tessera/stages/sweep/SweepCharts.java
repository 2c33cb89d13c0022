package dev.tessera.stages.sweep;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The sweep's parallel-coordinates and parameter-importance charts as PNGs.
 *
 * <p>Parallel coordinates: one vertical axis per parameter and a last one for the objective, each scaled to [0, 1]
 * (a range from its low to its high end, on a log scale for log ranges; a choice by its index; an inactive
 * conditional parameter at -0.05, below the axis); one line per finished trial, from blue (worst) to red (best).
 */
final class SweepCharts {
  private SweepCharts() {}

  static void parallelCoordinates(SearchSpace space, List<Trial> trials, double[] values, String objective,
      Direction direction, Path png) throws IOException {
    List<Parameter> parameters = space.parameters();
    List<String> axes = new ArrayList<>(space.names());
    axes.add(objective);
    XYChart chart = new XYChartBuilder().width(1000).height(520).title("Sweep: settings and " + objective
        + " of each trial (blue worst, red best)").xAxisTitle("one axis per parameter, the objective last").yAxisTitle("scaled value (log ranges on a log scale)").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisMin(-0.1).setYAxisMax(1.05);
    chart.setCustomXAxisTickLabelsFormatter(x -> {
      long index = Math.round(x);
      return Math.abs(x - index) < 1e-6 && index >= 0 && index < axes.size() ? shortName(axes.get((int) index))
          : "";
    });
    double worst = Double.POSITIVE_INFINITY;
    double best = Double.NEGATIVE_INFINITY;
    for (double value : values) {
      worst = Math.min(worst, -direction.loss(value));
      best = Math.max(best, -direction.loss(value));
    }
    for (int t = 0; t < trials.size(); t++) {
      double[] xs = new double[axes.size()];
      double[] ys = new double[axes.size()];
      for (int p = 0; p < parameters.size(); p++) {
        xs[p] = p;
        ys[p] = scaled(parameters.get(p), trials.get(t).values().get(parameters.get(p).name()));
      }
      double goodness = -direction.loss(values[t]);
      double shade = best > worst ? (goodness - worst) / (best - worst) : 1;
      xs[parameters.size()] = parameters.size();
      ys[parameters.size()] = shade;
      XYSeries series = chart.addSeries("trial " + t, xs, ys);
      series.setMarker(SeriesMarkers.CIRCLE);
      series.setLineStyle(SeriesLines.SOLID);
      series.setLineColor(new Color((int) (255 * shade), 60, (int) (255 * (1 - shade))));
      series.setMarkerColor(series.getLineColor());
    }
    save(chart, png);
  }

  static void importance(Map<String, Double> importance, String objective, Path png) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(900).height(120 + 60 * importance.size())
        .title("Parameter importance for " + objective + ": variance share explained alone (eta squared)")
        .xAxisTitle("parameter").yAxisTitle("eta^2").build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisLabelRotation(15);
    List<String> names = new ArrayList<>();
    List<Double> shares = new ArrayList<>();
    importance.forEach((name, share) -> {
      names.add(shortName(name));
      shares.add(share);
    });
    chart.addSeries("importance", names, shares);
    save(chart, png);
  }

  /** The position of a setting on its axis, in [0, 1]; -0.05 when the parameter is inactive. */
  static double scaled(Parameter parameter, String text) {
    if (text == null) {
      return -0.05;
    }
    double value = parameter.internal(text);
    if (parameter instanceof Choice c) {
      return c.choices().size() == 1 ? 0.5 : value / (c.choices().size() - 1);
    }
    if (parameter instanceof FloatRange f) {
      return fraction(value, f.low(), f.high(), f.log());
    }
    IntRange r = (IntRange) parameter;
    return fraction(value, r.low(), r.high(), r.log());
  }

  private static double fraction(double value, double low, double high, boolean log) {
    if (high == low) {
      return 0.5;
    }
    return log ? Math.log(value / low) / Math.log(high / low) : (value - low) / (high - low);
  }

  /** {@code train.optimizer.learningRate} reads {@code optimizer.learningRate} on a crowded axis. */
  private static String shortName(String path) {
    return path.startsWith("train.") || path.startsWith("evaluate.") ? path.substring(path.indexOf('.') + 1) : path;
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  static String describe(Map<String, Double> importance) {
    StringBuilder text = new StringBuilder();
    importance.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ")
        .append(String.format(Locale.ROOT, "%s %.2f", k, v)));
    return text.toString();
  }
}
