package dev.tessera.stages.sweep;

import java.util.List;
import java.util.Random;

/** A real parameter in {@code [low, high]}; with {@code log}, drawn log-uniformly (both bounds must be > 0). */
public record FloatRange(String name, double low, double high, boolean log, Condition condition)
    implements Parameter {
  public FloatRange {
    Ranges.checkName(name);
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw new IllegalArgumentException("Parameter '" + name + "' needs finite bounds, but was [" + low + ", "
          + high + "].");
    }
    Ranges.checkBounds(name, low, high, log);
  }

  /** An always active real range. */
  public FloatRange(String name, double low, double high, boolean log) {
    this(name, low, high, log, null);
  }

  @Override
  public FloatRange when(String parent, String... values) {
    return new FloatRange(name, low, high, log, new Condition(parent, List.of(values)));
  }

  @Override
  public String format(double internal) {
    return Double.toString(internal);
  }

  @Override
  public double internal(String value) {
    return Ranges.parse(name, value, low, high, false);
  }

  @Override
  public double sample(Random random) {
    if (!log) {
      return Math.min(high, low + random.nextDouble() * (high - low));
    }
    double lo = Math.log(low);
    double hi = Math.log(high);
    return Math.max(low, Math.min(high, Math.exp(lo + random.nextDouble() * (hi - lo))));
  }

  @Override
  public String describe() {
    return (log ? "loguniform(" : "uniform(") + low + "," + high + ")";
  }
}
