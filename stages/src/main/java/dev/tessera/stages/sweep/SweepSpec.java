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
 * @param objective the figure to optimize: one of the evaluate stage's summary, such as {@code accuracy} (also
 *     {@code evaluate.accuracy}), or of the train stage's as {@code train.<figure>}, such as
 *     {@code train.val_accuracy} (the validation accuracy of the output weights; needs train.validation), which
 *     keeps the test split out of the choice
 * @param direction {@code maximize} or {@code minimize}
 * @param gridPoints points per numeric range for {@code grid}, >= 2
 * @param parallelism how many trials run at once, in [1, 64]. With the {@code local} executor they are threads of
 *     this process, sharing PyTorch's threads and taking turns for each forward and backward pass (the engine
 *     records gradients for one training at a time), so slots overlap data loading, optimizer updates and
 *     evaluation (BENCHMARKS.md has the measured gain); with the {@code beam} executor it is how many trials one
 *     Beam job trains side by side on the runner's workers (set it to the runner's slots)
 * @param halving successive halving of the trials' epochs ({@link HalvingSpec#off()} for none)
 * @param executor where trials train: {@code local} (threads of this process), {@code beam} (elements of a Beam
 *     job on the run's runner, training inside its workers), or {@code auto}: {@code beam} when the run's runner is
 *     not the DirectRunner ({@code --runner=FlinkRunner|SparkRunner}), else {@code local}. Every executor gives a
 *     trial the same result for the same settings and seed; random and grid search suggest the same trials on
 *     each, TPE with more than one slot may not (it sees the trials in the order they ended)
 */
public record SweepSpec(String space, int trials, String strategy, String objective, String direction,
    int gridPoints, int parallelism, HalvingSpec halving, String executor) implements StageSpec {

  /** The strategies a spec accepts. */
  public static final List<String> STRATEGIES = List.of("grid", "random", "tpe");

  /** The executors a spec accepts. */
  public static final List<String> EXECUTORS = List.of("auto", "local", "beam");

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
      throw new IllegalArgumentException("sweep.objective must name an evaluate figure such as accuracy, or a "
          + "train figure such as train.val_accuracy, but was '"
          + objective + "'");
    }
    if (!List.of("maximize", "minimize").contains(direction)) {
      throw new IllegalArgumentException("sweep.direction must be maximize or minimize, but was '" + direction + "'");
    }
    if (gridPoints < 2 || gridPoints > 100) {
      throw new IllegalArgumentException("sweep.gridPoints must be in [2, 100], but was " + gridPoints);
    }
    if (parallelism < 1 || parallelism > 64) {
      throw new IllegalArgumentException("sweep.parallelism must be in [1, 64], but was " + parallelism
          + "; use about the number of cores divided by the threads one trial keeps busy");
    }
    if (halving == null) {
      throw new IllegalArgumentException("sweep.halving must be set (HalvingSpec.off() for none), but was null");
    }
    if (!EXECUTORS.contains(executor)) {
      throw new IllegalArgumentException("sweep.executor must be one of " + EXECUTORS + ", but was '" + executor
          + "'; local trains trials in threads of this process, beam as elements of a Beam job on the run's "
          + "runner (--runner=FlinkRunner|SparkRunner), auto picks beam unless the runner is the DirectRunner");
    }
  }

  /**
   * Whether {@code objective} names a figure of the train stage ({@code train.<figure>}, such as
   * {@code train.val_accuracy}) rather than of the evaluate stage (a bare name, or {@code evaluate.<figure>}).
   */
  static boolean objectiveOfTrain(String objective) {
    return objective.startsWith("train.");
  }

  /** The name {@code objective} has in its stage's summary: without its {@code train.} or {@code evaluate.}. */
  static String objectiveFigure(String objective) {
    return objective.startsWith("train.") || objective.startsWith("evaluate.")
        ? objective.substring(objective.indexOf('.') + 1) : objective;
  }

  /** Random search over {@code space}: {@code trials} trials maximizing {@code objective}, one at a time. */
  public static SweepSpec random(String space, int trials, String objective) {
    return new SweepSpec(space, trials, "random", objective, "maximize", 3, 1, HalvingSpec.off(), "auto");
  }

  /** The optimization direction. */
  public Direction directionValue() {
    return direction.equals("maximize") ? Direction.MAXIMIZE : Direction.MINIMIZE;
  }

  public SweepSpec withSpace(String value) {
    return new SweepSpec(value, trials, strategy, objective, direction, gridPoints, parallelism, halving, executor);
  }

  public SweepSpec withTrials(int value) {
    return new SweepSpec(space, value, strategy, objective, direction, gridPoints, parallelism, halving, executor);
  }

  public SweepSpec withStrategy(String value) {
    return new SweepSpec(space, trials, value, objective, direction, gridPoints, parallelism, halving, executor);
  }

  public SweepSpec withObjective(String value, String newDirection) {
    return new SweepSpec(space, trials, strategy, value, newDirection, gridPoints, parallelism, halving, executor);
  }

  public SweepSpec withGridPoints(int value) {
    return new SweepSpec(space, trials, strategy, objective, direction, value, parallelism, halving, executor);
  }

  public SweepSpec withParallelism(int value) {
    return new SweepSpec(space, trials, strategy, objective, direction, gridPoints, value, halving, executor);
  }

  public SweepSpec withHalving(HalvingSpec value) {
    return new SweepSpec(space, trials, strategy, objective, direction, gridPoints, parallelism, value, executor);
  }

  public SweepSpec withExecutor(String value) {
    return new SweepSpec(space, trials, strategy, objective, direction, gridPoints, parallelism, halving, value);
  }
}
