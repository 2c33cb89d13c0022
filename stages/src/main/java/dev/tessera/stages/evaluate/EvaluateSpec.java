package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.dag.StageSpec;
import java.util.List;

/**
 * Settings of {@link Evaluate}.
 *
 * @param split the dataset split to evaluate on, such as {@code test}
 * @param batchSize samples per inference batch
 * @param metrics registered {@link ClassificationMetric} names to report, at least one; the first is the stage's
 *     headline, printed after a run
 */
public record EvaluateSpec(String split, int batchSize, List<String> metrics) implements StageSpec {
  /** The metrics reported unless a spec names others. */
  public static final List<String> DEFAULT_METRICS =
      List.of("accuracy", "macro_precision", "macro_recall", "macro_f1");

  public EvaluateSpec {
    if (split == null || split.isBlank()) {
      throw new IllegalArgumentException("evaluate.split must name a dataset split such as 'test', but was '"
          + split + "'");
    }
    if (batchSize < 1 || batchSize > 65_536) {
      throw new IllegalArgumentException("evaluate.batchSize must be in [1, 65536], but was " + batchSize);
    }
    if (metrics == null || metrics.isEmpty()) {
      throw new IllegalArgumentException("evaluate.metrics must name at least one of "
          + ClassificationMetric.registry().names() + ", but was " + metrics);
    }
    metrics = List.copyOf(metrics);
    for (int i = 0; i < metrics.size(); i++) {
      if (ClassificationMetric.registry().find(metrics.get(i)).isEmpty()) {
        throw new IllegalArgumentException("evaluate.metrics[" + i + "] must be one of "
            + ClassificationMetric.registry().names() + ", but was '" + metrics.get(i) + "' (a metric of your own "
            + "needs its ClassificationMetric registered in META-INF/services/"
            + ClassificationMetric.class.getName() + ")");
      }
    }
  }

  /** The {@code test} split, batches of 500, the default metrics. */
  public static EvaluateSpec defaults() {
    return new EvaluateSpec("test", 500, DEFAULT_METRICS);
  }

  /** A copy reporting these metrics (the first is the headline). */
  public EvaluateSpec withMetrics(List<String> names) {
    return new EvaluateSpec(split, batchSize, names);
  }
}
