package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.experiments.demo.FitSweep;
import dev.tessera.experiments.demo.LineFitSpec;
import dev.tessera.experiments.demo.Numbers;
import dev.tessera.experiments.demo.Power;

/**
 * A sweep in a few seconds, no data needed: numbers 1..n and their squares, then {@code y = w * x} fitted once
 * per learning rate. Each trial is an MLflow child run nested under the run, which carries the best trial's
 * learning rate, loss and run id. Vary the rates with {@code --set fit.learningRates=[0.1,0.9]}.
 */
public final class DemoSweep implements ExperimentDefinition {
  public static final String NAME = "demo-sweep";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "numbers -> squares -> a 3-trial learning-rate sweep (nested MLflow runs); a few seconds";
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("numbers", Numbers.upTo(100, 0))
        .stage("squares", Power.of(2, 0), after("numbers"))
        .stage("fit", FitSweep.overLearningRates(new LineFitSpec(0.1, 50), 0.05, 0.5, 1.5),
            after("numbers", "squares"))
        .build();
  }
}
