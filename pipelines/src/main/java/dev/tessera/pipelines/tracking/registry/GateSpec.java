package dev.tessera.pipelines.tracking.registry;

import java.util.Locale;

/**
 * When a newly trained model replaces the champion: its value of {@code metric} must beat the champion's by at
 * least {@code minImprovement} in the direction {@code mode}. Ties keep the champion.
 *
 * <pre>{@code
 * GateSpec gate = new GateSpec("evaluate/accuracy", GateSpec.Mode.MAX, 0.001);
 * GateSpec same = GateSpec.parse("evaluate/accuracy:max:0.001");
 * }</pre>
 *
 * @param metric the run metric compared, {@code <stage>/<key>} as logged (such as {@code evaluate/accuracy})
 * @param mode whether larger ({@code MAX}) or smaller ({@code MIN}) values are better
 * @param minImprovement how much better than the champion the new model must be, >= 0 (0: any strict improvement)
 */
public record GateSpec(String metric, Mode mode, double minImprovement) {
  /** Which direction of the metric is better. */
  public enum Mode { MAX, MIN }

  public GateSpec {
    if (metric == null || !metric.matches("[\\w.\\-]+/[\\w.\\-/]+")) {
      throw new IllegalArgumentException("gate.metric must be '<stage>/<metric>' as logged, such as "
          + "evaluate/accuracy, but was '" + metric + "'.");
    }
    if (mode == null) {
      throw new IllegalArgumentException("gate.mode must be MAX or MIN, but was null.");
    }
    if (!(minImprovement >= 0) || Double.isInfinite(minImprovement)) {
      throw new IllegalArgumentException("gate.minImprovement must be a finite number >= 0, but was "
          + minImprovement + " (0 promotes any strict improvement).");
    }
  }

  /**
   * Parses {@code METRIC[:max|min[:MIN_IMPROVEMENT]]}, such as {@code evaluate/accuracy:max:0.001}; the mode
   * defaults to max and the improvement to 0.
   */
  public static GateSpec parse(String text) {
    String[] parts = text == null ? new String[0] : text.split(":", -1);
    if (parts.length < 1 || parts.length > 3) {
      throw new IllegalArgumentException("promotion gate must be METRIC[:max|min[:MIN_IMPROVEMENT]], such as "
          + "evaluate/accuracy:max:0.001, but was '" + text + "'.");
    }
    Mode mode = Mode.MAX;
    if (parts.length > 1) {
      try {
        mode = Mode.valueOf(parts[1].strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("promotion gate mode must be max or min, but was '" + parts[1]
            + "' in '" + text + "'.", e);
      }
    }
    double margin = 0;
    if (parts.length > 2) {
      try {
        margin = Double.parseDouble(parts[2].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("promotion gate minimum improvement must be a number >= 0, but was '"
            + parts[2] + "' in '" + text + "'.", e);
      }
    }
    return new GateSpec(parts[0].strip(), mode, margin);
  }

  /** Whether {@code challenger} beats {@code champion} by the margin (ties and NaN never do). */
  public boolean beats(double challenger, double champion) {
    if (Double.isNaN(challenger)) {
      return false;
    }
    double gain = mode == Mode.MAX ? challenger - champion : champion - challenger;
    return gain > 0 && gain >= minImprovement;
  }

  @Override
  public String toString() {
    return metric + ":" + mode.name().toLowerCase(Locale.ROOT) + ":" + minImprovement;
  }
}
