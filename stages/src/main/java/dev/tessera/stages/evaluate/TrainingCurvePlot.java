package dev.tessera.stages.evaluate;

import dev.tessera.stages.train.EpochMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws loss and accuracy per epoch as two PNG line charts side by side (train, and validation when present).
 *
 * <pre>{@code
 * TrainingCurvePlot.savePng(result.history(), dir.resolve("curves.png"));
 * }</pre>
 */
public final class TrainingCurvePlot {
  private TrainingCurvePlot() {}

  /** Width of the whole image in pixels (two charts of half the width). */
  public static final int WIDTH = 1200;

  /** Height of the image in pixels. */
  public static final int HEIGHT = 450;

  /** Renders the curves and writes them to {@code png} (parent directories created). */
  public static void savePng(List<EpochMetrics> history, Path png) throws IOException {
    if (history.isEmpty()) {
      throw new IllegalArgumentException("history must hold at least one epoch, but was empty");
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    var graphics = image.createGraphics();
    try {
      graphics.drawImage(BitmapEncoder.getBufferedImage(chart(history, false)), 0, 0, null);
      graphics.drawImage(BitmapEncoder.getBufferedImage(chart(history, true)), WIDTH / 2, 0, null);
    } finally {
      graphics.dispose();
    }
    PlotStyle.writePng(image, png);
  }

  private static XYChart chart(List<EpochMetrics> history, boolean accuracy) {
    String what = accuracy ? "Accuracy" : "Loss";
    XYChart chart = new XYChartBuilder()
        .width(WIDTH / 2)
        .height(HEIGHT)
        .title(what + " per epoch")
        .xAxisTitle("Epoch")
        .yAxisTitle(what)
        .build();
    chart.getStyler().setLegendPosition(accuracy ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNE);
    double[] epochs = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
    chart.addSeries("train", epochs, history.stream()
        .mapToDouble(m -> accuracy ? m.trainAccuracy() : m.trainLoss()).toArray());
    if (history.stream().noneMatch(m -> Double.isNaN(m.validationLoss()))) {
      chart.addSeries("validation", epochs, history.stream()
          .mapToDouble(m -> accuracy ? m.validationAccuracy() : m.validationLoss()).toArray());
    }
    return chart;
  }
}
