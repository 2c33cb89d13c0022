package dev.tessera.stages.sweep;

import dev.tessera.pipelines.dag.StageSpec;
import java.util.List;

/**
 * Settings of a {@link Sweep}.
 *
 * @param space the search space over the wrapped stages' settings, as {@link SearchSpace#parse} reads it, such as
 *     {@code train.optimizer.learningRate=loguniform(1e-4,1e-2); train.batchSize=choice(64,128)}; paths start with
 *     {@code train.} or {@code evaluate.}
 * @param trials how many trials to run, >= 1 (a grid stops at its last point)
 * @param strategy {@code grid}, {@code random} or {@code tpe}
 * @param objective the evaluate stage's summary figure to optimize, such as {@code accuracy}
 * @param direction {@code maximize} or {@code minimize}
 * @param gridPoints points per numeric range for {@code grid}, >= 2
 */
public record SweepSpec(String space, int trials, String strategy, String objective, String direction,
    int gridPoints) implements StageSpec {

  /** The strategies a spec accepts. */
  public static final List<String> STRATEGIES = List.of("grid", "random", "tpe");

  public SweepSpec {
    if (space == null || space.isBlank()) {
      throw new IllegalArgumentException("sweep.space must list at least one parameter, such as "
          + "train.optimizer.learningRate=loguniform(1e-4,1e-2), but was empty");
    }
    SearchSpace.parse(space); // parse errors name the parameter and the allowed forms
    if (trials < 1 || trials > 10_000) {
      throw new IllegalArgumentException("sweep.trials must be in [1, 10000], but was " + trials);
    }
    if (!STRATEGIES.contains(strategy)) {
      throw new IllegalArgumentException("sweep.strategy must be one of " + STRATEGIES + ", but was '" + strategy
          + "'");
    }
    if (objective == null || objective.isBlank()) {
      throw new IllegalArgumentException("sweep.objective must name an evaluate figure such as accuracy, but was '"
          + objective + "'");
    }
    if (!List.of("maximize", "minimize").contains(direction)) {
      throw new IllegalArgumentException("sweep.direction must be maximize or minimize, but was '" + direction + "'");
    }
    if (gridPoints < 2 || gridPoints > 100) {
      throw new IllegalArgumentException("sweep.gridPoints must be in [2, 100], but was " + gridPoints);
    }
  }

  /** The optimization direction. */
  public Direction directionValue() {
    return direction.equals("maximize") ? Direction.MAXIMIZE : Direction.MINIMIZE;
  }

  public SweepSpec withTrials(int value) {
    return new SweepSpec(space, value, strategy, objective, direction, gridPoints);
  }

  public SweepSpec withStrategy(String value) {
    return new SweepSpec(space, trials, value, objective, direction, gridPoints);
  }
}
