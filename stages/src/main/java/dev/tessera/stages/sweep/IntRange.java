package dev.tessera.stages.sweep;

import java.util.List;
import java.util.Random;

/** An integer parameter in {@code [low, high]}, both included; with {@code log}, drawn log-uniformly. */
public record IntRange(String name, long low, long high, boolean log, Condition condition) implements Parameter {
  public IntRange {
    Ranges.checkName(name);
    Ranges.checkBounds(name, low, high, log);
  }

  /** An always active integer range. */
  public IntRange(String name, long low, long high, boolean log) {
    this(name, low, high, log, null);
  }

  @Override
  public IntRange when(String parent, String... values) {
    return new IntRange(name, low, high, log, new Condition(parent, List.of(values)));
  }

  @Override
  public String format(double internal) {
    return Long.toString(Math.round(internal));
  }

  @Override
  public double internal(String value) {
    return Ranges.parse(name, value, low, high, true);
  }

  @Override
  public double sample(Random random) {
    if (!log) {
      return low + (long) Math.floor(random.nextDouble() * (high - low + 1));
    }
    // Log-uniform over [low - 0.5, high + 0.5], rounded: each integer gets the mass of its log-width.
    double lo = Math.log(low - 0.5);
    double hi = Math.log(high + 0.5);
    double value = Math.round(Math.exp(lo + random.nextDouble() * (hi - lo)));
    return Math.max(low, Math.min(high, value));
  }

  @Override
  public String describe() {
    return (log ? "logint(" : "int(") + low + "," + high + ")";
  }
}
