package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MedianStoppingRuleTest {
  private static final MedianStoppingRule RULE = new MedianStoppingRule(Direction.MINIMIZE, 2, 1, 1);
  private static final double[] A = {1.0, 0.8, 0.6, 0.5};
  private static final double[] B = {1.2, 1.0, 0.9, 0.8};

  @Test
  void stopsATrialWhoseBestIsWorseThanTheMedianRunningAverage() {
    // Running averages up to step 1: A 0.9, B 1.1, median 1.0.
    assertTrue(RULE.shouldStop(new double[] {3.0, 1.05}, List.of(A, B)));
    assertFalse(RULE.shouldStop(new double[] {3.0, 0.95}, List.of(A, B)), "its best, 0.95, beats the median");
    assertFalse(RULE.shouldStop(new double[] {3.0}, List.of(A, B)), "step 0 is in the warm-up");
    assertFalse(RULE.shouldStop(new double[] {3.0, 2.9}, List.of(A)), "only one trial completed; two needed");
  }

  @Test
  void maximizingStopsTrialsBelowTheMedian() {
    MedianStoppingRule rule = new MedianStoppingRule(Direction.MAXIMIZE, 1, 0, 1);
    assertTrue(rule.shouldStop(new double[] {0.2}, List.of(new double[] {0.9}, new double[] {0.7})));
    assertFalse(rule.shouldStop(new double[] {0.85}, List.of(new double[] {0.9}, new double[] {0.7})));
  }

  @Test
  void replayReportsWhereTrialsStoppedAndTheStepsSaved() {
    StoppingReport report = RULE.replay(List.of(new LearningCurve("a", A), new LearningCurve("b", B),
        new LearningCurve("c", new double[] {3.0, 2.9, 2.8, 2.7}),
        new LearningCurve("d", new double[] {0.9, 0.7, 0.6, 0.4})));
    assertEquals(Map.of("a", -1, "b", -1, "c", 1, "d", -1), report.stoppedAtStep());
    assertEquals(4 + 4 + 2 + 4, report.stepsUsed());
    assertEquals(16, report.stepsWithoutStopping());
  }
}
