package dev.tessera.stages.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Importance on data whose answer is known: the parameter that drives the objective ranks above noise. */
class ParameterImportanceTest {
  private static final SearchSpace SPACE = SearchSpace.parse(
      "train.optimizer.learningRate=loguniform(1e-4,1e-1); train.noise=uniform(0,1); train.kind=choice(a,b,c)");

  /** The importance over {@code n} random trials whose objective {@code f} computes (with its own noise). */
  private static Map<String, Double> importance(int n, long seed, BiFunction<Trial, Random, Double> f) {
    Random random = new Random(seed);
    List<Trial> trials = new ArrayList<>();
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      trials.add(SPACE.sampleUniform(random));
      values[i] = f.apply(trials.get(i), random);
    }
    return ParameterImportance.of(SPACE, trials, values);
  }

  @Test
  void aRangeThatDrivesTheObjectiveRanksAboveNoise() {
    // Peaks at 1e-2 on a log scale; the others do not enter, apart from small noise.
    Map<String, Double> importance = importance(40, 3, (trial, random) -> 1 - Math.pow(Math.log10(
        Double.parseDouble(trial.values().get("train.optimizer.learningRate"))) + 2, 2) / 4
        + 0.02 * random.nextGaussian());
    assertEquals("train.optimizer.learningRate", importance.keySet().iterator().next(), importance.toString());
    assertTrue(importance.get("train.optimizer.learningRate") > 0.6, importance.toString());
    assertTrue(importance.get("train.noise") < 0.25, importance.toString());
    assertTrue(importance.get("train.kind") < 0.25, importance.toString());
  }

  @Test
  void aChoiceThatDrivesTheObjectiveRanksFirst() {
    Map<String, Double> importance = importance(30, 5, (trial, random) -> switch (trial.values().get("train.kind")) {
      case "a" -> 0.2;
      case "b" -> 0.5;
      default -> 0.9;
    } + 0.05 * random.nextGaussian());
    assertEquals("train.kind", importance.keySet().iterator().next(), importance.toString());
    assertTrue(importance.get("train.kind") > 0.8, importance.toString());
  }

  @Test
  void theCorrelationRatioOfAPerfectGroupingIsOneAndOfConstantValuesZero() {
    assertEquals(1.0, ParameterImportance.correlationRatio(new int[] {0, 0, 1, 1}, new double[] {1, 1, 3, 3}),
        1e-12);
    assertEquals(0.0, ParameterImportance.correlationRatio(new int[] {0, 1, 0, 1}, new double[] {1, 1, 3, 3}),
        1e-12);
    assertEquals(0.0, ParameterImportance.correlationRatio(new int[] {0, 1, 2}, new double[] {2, 2, 2}));
  }

  @Test
  void rejectsTooFewTrialsAndNonFiniteValues() {
    List<Trial> two = List.of(new Trial(Map.of()), new Trial(Map.of()));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ParameterImportance.of(SPACE, two,
        new double[] {1, 2})).getMessage().contains("at least 3 finished trials, but got 2"));
    List<Trial> three = List.of(new Trial(Map.of()), new Trial(Map.of()), new Trial(Map.of()));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ParameterImportance.of(SPACE, three,
        new double[] {1, Double.NaN, 2})).getMessage().contains("finite objective values, but got NaN"));
  }
}
