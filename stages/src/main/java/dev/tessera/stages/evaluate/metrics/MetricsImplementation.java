package dev.tessera.stages.evaluate.metrics;

import java.util.List;

/**
 * Every class of this package, for the fingerprint of a stage that computes these metrics: a stage's cache key
 * hashes the bytecode of the classes it lists, and the package-private helpers here (sorting, counting, checks)
 * cannot be named from outside. A test checks that the list matches the package's class files.
 *
 * <pre>{@code
 * List<Class<?>> classes = new ArrayList<>(List.of(MyStage.class));
 * classes.addAll(MetricsImplementation.CLASSES);
 * }</pre>
 */
public final class MetricsImplementation {
  private MetricsImplementation() {}

  /** The package's classes, public and package-private. */
  public static final List<Class<?>> CLASSES = List.of(Average.class, AveragePrecision.class,
      BalancedAccuracy.class, CohenKappa.class, Counts.class, Inputs.class, KappaWeights.class, LogLoss.class,
      MetricsImplementation.class, PrecisionRecallCurve.class, RocAuc.class, RocCurve.class, ThresholdCounts.class,
      TopKAccuracy.class);
}
