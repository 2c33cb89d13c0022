package dev.tessera.experiments.demo;

import dev.tessera.pipelines.dag.StageSpec;
import java.util.List;

/**
 * Settings of {@link FitSweep}: one trial per learning rate, each {@code trial.withLearningRate(rate)}.
 *
 * @param trial the settings every trial starts from
 * @param learningRates the values tried, 1 to 20 of them, each in (0, 10]
 */
public record FitSweepSpec(LineFitSpec trial, List<Double> learningRates) implements StageSpec {
  public FitSweepSpec {
    learningRates = List.copyOf(learningRates);
    if (learningRates.isEmpty() || learningRates.size() > 20) {
      throw new IllegalArgumentException("learningRates must hold 1 to 20 values, but held "
          + learningRates.size() + ": " + learningRates);
    }
    for (int i = 0; i < learningRates.size(); i++) {
      double rate = learningRates.get(i);
      if (!(rate > 0 && rate <= 10)) {
        throw new IllegalArgumentException("learningRates[" + i + "] must be in (0, 10], but was " + rate);
      }
    }
  }

  /** The spec of each trial, in order: {@code trial.withLearningRate(rate)}. */
  public List<LineFitSpec> trials() {
    return learningRates.stream().map(trial::withLearningRate).toList();
  }
}
