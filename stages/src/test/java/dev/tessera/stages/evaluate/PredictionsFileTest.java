package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictions survive the Arrow file exactly, across record batches, and concatenate in order. */
class PredictionsFileTest {
  @TempDir Path dir;

  @Test
  void roundTripsExactlyAcrossRecordBatches() throws Exception {
    Predictions written = random(PredictionsFile.ROWS_PER_BATCH + 17, 7, new Random(1));
    Path file = dir.resolve("out/predictions.arrow");
    PredictionsFile.write(written, file);
    assertEquals(written, PredictionsFile.read(file));
    assertFalse(Files.exists(file.resolveSibling("predictions.arrow.tmp")), "the temporary file is moved");
  }

  @Test
  void roundTripsNoSamples() throws Exception {
    Predictions empty = new Predictions(new int[0], new int[0], new float[0][], 3);
    PredictionsFile.write(empty, dir.resolve("empty.arrow"));
    assertEquals(empty, PredictionsFile.read(dir.resolve("empty.arrow")));
  }

  @Test
  void concatenatesInOrderAndRejectsDifferentClassCounts() {
    Random random = new Random(2);
    Predictions a = random(3, 4, random);
    Predictions b = random(2, 4, random);
    Predictions both = Predictions.concat(List.of(a, b), 4);
    assertEquals(5, both.size());
    assertEquals(b.labels()[1], both.labels()[4]);
    assertEquals(b.probabilities()[1], both.probabilities()[4]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Predictions.concat(List.of(a, random(1, 5, random)), 4));
    assertEquals("predictions to concatenate must all have 4 classes, but one part has 5", e.getMessage());
  }

  private static Predictions random(int n, int classes, Random random) {
    int[] labels = new int[n];
    int[] predicted = new int[n];
    float[][] probabilities = new float[n][classes];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(classes);
      predicted[i] = random.nextInt(classes);
      for (int c = 0; c < classes; c++) {
        probabilities[i][c] = random.nextFloat();
      }
    }
    return new Predictions(labels, predicted, probabilities, classes);
  }
}
