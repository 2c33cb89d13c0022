package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Learning-rate factors against values worked out by hand (10 steps per epoch, 4 epochs: 40 steps). */
class ScheduleSpecTest {
  private static final long PER_EPOCH = 10;
  private static final long TOTAL = 40;
  private static final double EPS = 1e-12;

  private static double at(ScheduleSpec schedule, long update) {
    return schedule.factor(update, PER_EPOCH, TOTAL);
  }

  @Test
  void constantIsOneThroughout() {
    assertEquals(1.0, at(ScheduleSpec.constant(), 1), EPS);
    assertEquals(1.0, at(ScheduleSpec.constant(), 40), EPS);
  }

  @Test
  void linearWarmUpRisesFromTheStartFactorToOneThenHandsOver() {
    ScheduleSpec warm = ScheduleSpec.constant().withWarmupEpochs(1); // 10 steps from 0.1
    assertEquals(0.1 + 0.9 * 1 / 10, at(warm, 1), EPS);
    assertEquals(0.1 + 0.9 * 5 / 10, at(warm, 5), EPS);
    assertEquals(1.0, at(warm, 10), EPS);
    assertEquals(1.0, at(warm, 11), EPS);
  }

  @Test
  void cosineFallsToTheFinalFactorOverTheStepsAfterWarmUp() {
    ScheduleSpec cosine = ScheduleSpec.cosine(); // final 0.01
    assertEquals(0.01 + 0.99 * (1 + Math.cos(Math.PI / 40)) / 2, at(cosine, 1), EPS);
    assertEquals(0.505, at(cosine, 20), EPS); // halfway: (1 + 0.01) / 2
    assertEquals(0.01, at(cosine, 40), EPS);
    ScheduleSpec warm = cosine.withWarmupEpochs(1); // cosine over steps 11..40 (30 steps)
    assertEquals(0.505, at(warm, 25), EPS);
    assertEquals(0.01 + 0.99 * (1 + Math.cos(Math.PI / 30)) / 2, at(warm, 11), EPS);
  }

  @Test
  void stepAndMultiStepDecayAtEpochBoundaries() {
    ScheduleSpec step = new ScheduleSpec(LrSchedule.STEP, 0, 0.1, 2, List.of(), 0.5, 0.01, 1, 0.3);
    assertEquals(1.0, at(step, 20), EPS); // step 20 is the last of epoch 2
    assertEquals(0.5, at(step, 21), EPS);
    assertEquals(0.5, at(step, 40), EPS);
    ScheduleSpec multi = ScheduleSpec.multiStep(0.1, 1, 3);
    assertEquals(1.0, at(multi, 10), EPS);
    assertEquals(0.1, at(multi, 11), EPS);
    assertEquals(0.1, at(multi, 30), EPS);
    assertEquals(0.01, at(multi, 31), 1e-15);
  }

  @Test
  void polynomialAndOneCycleFollowTheirFormulas() {
    ScheduleSpec poly = new ScheduleSpec(LrSchedule.POLYNOMIAL, 0, 0.1, 1, List.of(), 0.1, 0.0, 2, 0.3);
    assertEquals(0.25, at(poly, 20), EPS); // (1 - 0.5)^2
    assertEquals(0.0, at(poly, 40), EPS);
    ScheduleSpec cycle = new ScheduleSpec(LrSchedule.ONE_CYCLE, 0, 0.2, 1, List.of(), 0.1, 0.0, 1, 0.25);
    assertEquals(0.2 + 0.8 * (1 - Math.cos(Math.PI * 0.5)) / 2, at(cycle, 5), EPS); // halfway up: 0.6
    assertEquals(1.0, at(cycle, 10), EPS); // the peak, at 25% of 40 steps
    assertEquals(0.5, at(cycle, 25), EPS); // halfway down
    assertEquals(0.0, at(cycle, 40), EPS);
  }

  @Test
  void trainerUsesTheScaledRateTimesTheFactor() {
    OptimizerSpec sgd = OptimizerSpec.sgd(0.1, 0.9);
    assertEquals(0.1, sgd.scaledLearningRate(64, 64), EPS);
    assertEquals(0.4, sgd.scaledLearningRate(64, 256), EPS); // 4 devices
    assertEquals(0.2, sgd.withLrScaling(LrScaling.LINEAR, 128).scaledLearningRate(64, 256), EPS);
    assertEquals(0.1, sgd.withLrScaling(LrScaling.NONE, 0).scaledLearningRate(64, 256), EPS);
  }
}
