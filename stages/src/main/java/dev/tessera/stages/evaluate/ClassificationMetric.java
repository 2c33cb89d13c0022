package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.extension.Registered;
import dev.tessera.pipelines.extension.Registries;
import dev.tessera.pipelines.extension.Registry;

/**
 * A classification metric computed from the merged confusion matrix, named in {@code evaluate.metrics}. The
 * extension point for metrics of your own: implement it and list the class in
 * {@code META-INF/services/dev.tessera.stages.evaluate.ClassificationMetric}; the built-ins ({@code accuracy},
 * {@code macro_precision}, {@code macro_recall}, {@code macro_f1}) are registered the same way.
 */
public interface ClassificationMetric extends Registered {

  /** The metric's value for this matrix (rows: actual class, columns: predicted class). */
  double compute(ConfusionMatrix matrix);

  /** The registered metrics, seen from the current context class loader. */
  static Registry<ClassificationMetric> registry() {
    return Registries.of("metric", ClassificationMetric.class);
  }
}
