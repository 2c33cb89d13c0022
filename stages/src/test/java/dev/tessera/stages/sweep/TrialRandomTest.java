package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Consecutive trials of a sweep draw independent-looking values, the same ones on every run. */
class TrialRandomTest {
  @Test
  void consecutiveTrialsSpreadTheirFirstDrawOverTheRange() {
    double[] first = new double[20];
    for (int i = 0; i < first.length; i++) {
      first[i] = Sweep.trialRandom(42, i).nextDouble();
    }
    double min = Arrays.stream(first).min().orElseThrow();
    double max = Arrays.stream(first).max().orElseThrow();
    // A Random seeded with 42 * 1000003 + i gives twenty first draws within a few hundredths of each other.
    assertTrue(max - min > 0.7, Arrays.toString(first));
    assertTrue(Arrays.stream(first).filter(v -> v < 0.5).count() >= 5, Arrays.toString(first));
  }

  @Test
  void theSameSeedAndIndexGiveTheSameDraws() {
    assertEquals(Sweep.trialRandom(7, 3).nextLong(), Sweep.trialRandom(7, 3).nextLong());
  }
}
