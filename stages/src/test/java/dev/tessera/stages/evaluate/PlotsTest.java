package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tessera.stages.train.EpochMetrics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
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
}
