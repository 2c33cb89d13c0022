package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts are readable PNGs, and the parallel-coordinates axes place settings where the space says. */
class SweepChartsTest {
  @TempDir Path dir;

  private static final SearchSpace SPACE = SearchSpace.parse("train.optimizer.learningRate=loguniform(1e-4,1e-2); "
      + "train.batchSize=choice(64,128,256); train.epochs=int(1,5)");

  @Test
  void scalesEachSettingOntoItsAxis() {
    assertEquals(0.5, SweepCharts.scaled(SPACE.parameter("train.optimizer.learningRate"), "0.001"), 1e-12);
    assertEquals(1.0, SweepCharts.scaled(SPACE.parameter("train.batchSize"), "256"), 1e-12);
    assertEquals(0.25, SweepCharts.scaled(SPACE.parameter("train.epochs"), "2"), 1e-12);
    assertEquals(-0.05, SweepCharts.scaled(SPACE.parameter("train.epochs"), null), 1e-12);
  }

  @Test
  void writesBothChartsAsPngs() throws Exception {
    Random random = new Random(1);
    List<Trial> trials = new ArrayList<>();
    double[] values = new double[8];
    for (int i = 0; i < values.length; i++) {
      trials.add(SPACE.sampleUniform(random));
      values[i] = random.nextDouble();
    }
    SweepCharts.parallelCoordinates(SPACE, trials, values, "accuracy", Direction.MAXIMIZE,
        dir.resolve("pc.png"));
    Map<String, Double> importance = new LinkedHashMap<>(ParameterImportance.of(SPACE, trials, values));
    SweepCharts.importance(importance, "accuracy", dir.resolve("importance.png"));
    BufferedImage coordinates = ImageIO.read(dir.resolve("pc.png").toFile());
    assertEquals(1000, coordinates.getWidth());
    BufferedImage bars = ImageIO.read(dir.resolve("importance.png").toFile());
    assertEquals(900, bars.getWidth());
  }
}
