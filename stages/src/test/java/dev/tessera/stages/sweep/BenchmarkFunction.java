package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Standard test functions for search strategies, each over a typed space and written out again in
 * {@code sweep/optuna_tpe.py} for Optuna, with their known minimum.
 */
record BenchmarkFunction(String name, SearchSpace space, ToDoubleFunction<Trial> objective, double minimum) {

  static final Map<String, Double> CATEGORY_PENALTY = Map.of("a", 1.0, "b", 0.0, "c", 2.0);

  /** Shifted sphere in 4-D: two reals, a log-scaled learning rate (best at 1e-3) and a categorical (best 'b'). */
  static BenchmarkFunction mixedSphere() {
    SearchSpace space = SearchSpace.parse("""
        x1=uniform(-5,5)
        x2=uniform(-5,5)
        lr=loguniform(1e-5,1)
        kind=choice(a,b,c)""");
    return new BenchmarkFunction("mixed-sphere-4d", space, trial -> {
      double x1 = real(trial, "x1");
      double x2 = real(trial, "x2");
      double lr = Math.log10(real(trial, "lr")) + 3;
      return (x1 - 1) * (x1 - 1) + (x2 + 2) * (x2 + 2) + lr * lr
          + CATEGORY_PENALTY.get(trial.values().get("kind"));
    }, 0.0);
  }

  /** Branin-Hoo on [-5, 10] x [0, 15]; minimum 0.397887 at three points. */
  static BenchmarkFunction branin() {
    SearchSpace space = SearchSpace.parse("x1=uniform(-5,10)\nx2=uniform(0,15)");
    return new BenchmarkFunction("branin", space, trial -> {
      double x1 = real(trial, "x1");
      double x2 = real(trial, "x2");
      double b = 5.1 / (4 * Math.PI * Math.PI);
      double c = 5 / Math.PI;
      double t = 1 / (8 * Math.PI);
      double a = x2 - b * x1 * x1 + c * x1 - 6;
      return a * a + 10 * (1 - t) * Math.cos(x1) + 10;
    }, 0.397887);
  }

  private static final double[] HARTMANN_ALPHA = {1.0, 1.2, 3.0, 3.2};
  private static final double[][] HARTMANN_A = {
      {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
  private static final double[][] HARTMANN_P = {
      {1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
      {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};

  /** Hartmann 6-D on [0, 1]^6; minimum -3.32237. */
  static BenchmarkFunction hartmann6() {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 6; i++) {
      text.append('x').append(i).append("=uniform(0,1)\n");
    }
    return new BenchmarkFunction("hartmann-6d", SearchSpace.parse(text.toString()), trial -> {
      double total = 0;
      for (int i = 0; i < 4; i++) {
        double inner = 0;
        for (int j = 0; j < 6; j++) {
          double d = real(trial, "x" + (j + 1)) - HARTMANN_P[i][j] * 1e-4;
          inner += HARTMANN_A[i][j] * d * d;
        }
        total += HARTMANN_ALPHA[i] * Math.exp(-inner);
      }
      return -total;
    }, -3.32237);
  }

  /** The best value a strategy finds in {@code trials} trials from {@code seed} (minimizing). */
  double bestValue(Strategy strategy, int trials, long seed) {
    Random random = new Random(seed);
    List<FinishedTrial> history = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < trials; i++) {
      Trial trial = strategy.suggest(history, random);
      double value = objective.applyAsDouble(trial);
      history.add(new FinishedTrial(trial, value));
      best = Math.min(best, value);
    }
    return best;
  }

  private static double real(Trial trial, String name) {
    return Double.parseDouble(trial.values().get(name));
  }
}
