package dev.tessera.experiments.demo;

import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of one fit of {@code y = w * x} by gradient descent on mean squared error (see {@link LineFit}).
 *
 * @param learningRate the gradient step, in (0, 10]
 * @param steps gradient steps, in [1, 100000]
 */
public record LineFitSpec(double learningRate, int steps) implements StageSpec {
  public LineFitSpec {
    if (!(learningRate > 0 && learningRate <= 10)) {
      throw new IllegalArgumentException("learningRate must be in (0, 10], but was " + learningRate);
    }
    if (steps < 1 || steps > 100_000) {
      throw new IllegalArgumentException("steps must be in [1, 100000], but was " + steps);
    }
  }

  public LineFitSpec withLearningRate(double value) {
    return new LineFitSpec(value, steps);
  }

  public LineFitSpec withSteps(int value) {
    return new LineFitSpec(learningRate, value);
  }
}
