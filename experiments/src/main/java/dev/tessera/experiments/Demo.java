package dev.tessera.experiments;

import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.experiments.demo.Numbers;
import dev.tessera.experiments.demo.Power;
import dev.tessera.experiments.demo.Sum;

/**
 * A small experiment that needs no data: numbers 1..n, their squares and cubes in parallel, and the sum of both.
 * It shows ordering, concurrency, the live stage table, the cache and resume in a few seconds.
 */
public final class Demo implements ExperimentDefinition {
  public static final String NAME = "demo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "numbers -> (squares, cubes) -> sum; no data needed, a few seconds";
  }

  @Override
  public Experiment define() {
    return Experiment.named(NAME)
        .description(description())
        .seed(42)
        .stage("numbers", Numbers.upTo(100, 10))
        .stage("squares", Power.of(2, 20), after("numbers"))
        .stage("cubes", Power.of(3, 30), after("numbers"))
        .stage("sum", Sum.of(2), after("squares", "cubes"))
        .build();
  }
}
