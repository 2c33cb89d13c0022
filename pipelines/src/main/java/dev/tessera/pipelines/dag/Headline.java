package dev.tessera.pipelines.dag;

/**
 * The figure a stage wants shown after a run, such as {@code Test accuracy: 99.17%}: a key of the stage's
 * {@link StageResult} summary and how to print it. Generic code (the CLI, sweeps) asks the stage for it instead
 * of knowing stage kinds.
 *
 * @param metric the summary key, such as {@code accuracy}
 * @param label what to print before the value, such as {@code Test accuracy}
 * @param percent whether the value is a fraction to print as a percentage
 */
public record Headline(String metric, String label, boolean percent) {
  public Headline {
    if (metric == null || metric.isBlank() || label == null || label.isBlank()) {
      throw new IllegalArgumentException("a headline needs a metric key and a label, but was metric '" + metric
          + "', label '" + label + "'");
    }
  }

  /** The line to print, such as {@code Test accuracy: 99.17%}. */
  public String format(double value) {
    return percent
        ? String.format(java.util.Locale.ROOT, "%s: %.2f%%", label, value * 100)
        : String.format(java.util.Locale.ROOT, "%s: %.6g", label, value);
  }
}
