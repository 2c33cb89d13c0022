package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tessera.stages.evaluate.metrics.PrecisionRecallCurve;
import dev.tessera.stages.evaluate.metrics.RocCurve;
import dev.tessera.stages.train.EpochMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plots render headless (the test JVM runs with -Djava.awt.headless=true) into decodable PNGs. */
class PlotsTest {
  @TempDir Path dir;

  @Test
  void confusionMatrixPngDecodesAtTheExpectedSize() throws Exception {
    ConfusionMatrix matrix = ConfusionMatrix.of(new long[][] {{50, 1, 0}, {2, 30, 1}, {0, 0, 44}});
    Path png = dir.resolve("plots/confusion.png");
    ConfusionMatrixPlot.savePng(matrix, List.of("cat", "dog", "eel"), png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "not a decodable image: " + png);
    assertEquals(ConfusionMatrixPlot.sizeFor(3), image.getWidth());
    assertEquals(ConfusionMatrixPlot.sizeFor(3), image.getHeight());
  }

  @Test
  void trainingCurvesPngDecodesAtTheExpectedSize() throws Exception {
    List<EpochMetrics> history = List.of(
        new EpochMetrics(1, 0.9, 0.7, 0.8, 0.75, 10, 1.0),
        new EpochMetrics(2, 0.4, 0.9, 0.45, 0.88, 20, 1.0),
        new EpochMetrics(3, 0.2, 0.95, 0.3, 0.91, 30, 1.0));
    Path png = dir.resolve("curves.png");
    TrainingCurvePlot.savePng(history, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "not a decodable image: " + png);
    assertEquals(TrainingCurvePlot.WIDTH, image.getWidth());
    assertEquals(TrainingCurvePlot.HEIGHT, image.getHeight());
  }

  @Test
  void rocCurvesPngDecodesAtTheExpectedSize() throws Exception {
    Path png = dir.resolve("roc.png");
    RocCurvePlot.savePng(RocCurve.oneVsRest(LABELS, PROBABILITIES), NAMES, png);
    assertPng(png, RocCurvePlot.WIDTH, RocCurvePlot.HEIGHT);
  }

  @Test
  void precisionRecallPngDecodesAtTheExpectedSize() throws Exception {
    Path png = dir.resolve("pr.png");
    PrecisionRecallPlot.savePng(PrecisionRecallCurve.oneVsRest(LABELS, PROBABILITIES), NAMES, png);
    assertPng(png, PrecisionRecallPlot.WIDTH, PrecisionRecallPlot.HEIGHT);
  }

  @Test
  void macroAverageReadsEachRocCurveAtItsHighestPointAndBetweenPoints() {
    RocCurve curve = new RocCurve(new double[] {0, 0, 0.5, 0.5, 1}, new double[] {0, 0.5, 0.5, 1, 1},
        new double[] {Double.POSITIVE_INFINITY, 0.9, 0.7, 0.4, 0.1});
    assertArrayEquals(new double[] {0.5, 0.5, 1.0, 1.0, 1.0},
        RocCurvePlot.tprOn(curve, new double[] {0.0, 0.25, 0.5, 0.75, 1.0}));
    RocCurve diagonal = new RocCurve(new double[] {0, 1}, new double[] {0, 1},
        new double[] {Double.POSITIVE_INFINITY, 0.5});
    assertArrayEquals(new double[] {0.0, 0.3, 1.0}, RocCurvePlot.tprOn(diagonal, new double[] {0.0, 0.3, 1.0}));
  }

  private static void assertPng(Path png, int width, int height) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "not a decodable image: " + png);
    assertEquals(width, image.getWidth());
    assertEquals(height, image.getHeight());
  }

  private static final List<String> NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  private static final int[] LABELS = new int[500];
  private static final double[][] PROBABILITIES = new double[500][10];

  static {
    Random random = new Random(7);
    for (int i = 0; i < LABELS.length; i++) {
      LABELS[i] = i % 10;
      double sum = 0;
      for (int c = 0; c < 10; c++) {
        PROBABILITIES[i][c] = Math.exp(random.nextGaussian() * 1.2 + (c == LABELS[i] ? 0.4 * c : 0));
        sum += PROBABILITIES[i][c];
      }
      for (int c = 0; c < 10; c++) {
        PROBABILITIES[i][c] /= sum;
      }
    }
  }
}
