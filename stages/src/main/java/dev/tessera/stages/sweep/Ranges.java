package dev.tessera.stages.sweep;

/** Checks shared by the range parameters. */
final class Ranges {
  private Ranges() {}

  /** A numeric parameter's bounds and scale; {@code step} is 1 for integers, 0 for reals. */
  record Bounds(double low, double high, boolean log, double step) {}

  /** The bounds of an {@link IntRange} or a {@link FloatRange}. */
  static Bounds of(Parameter parameter) {
    if (parameter instanceof IntRange range) {
      return new Bounds(range.low(), range.high(), range.log(), 1);
    }
    FloatRange range = (FloatRange) parameter;
    return new Bounds(range.low(), range.high(), range.log(), 0);
  }

  static void checkName(String name) {
    if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("A parameter needs a spec path such as train.learningRate as its name, "
          + "but was '" + name + "'.");
    }
  }

  static void checkBounds(String name, double low, double high, boolean log) {
    if (low >= high) {
      throw new IllegalArgumentException("Parameter '" + name + "' needs low < high, but was low=" + format(low)
          + ", high=" + format(high) + ": give a range with room in it, or use choice(...) for a fixed value.");
    }
    if (log && low <= 0) {
      throw new IllegalArgumentException("Parameter '" + name + "' is log-scaled and needs low > 0, but was low="
          + format(low) + ": use a positive lower bound such as 1e-5, or a linear range.");
    }
  }

  /** The number a setting's text holds, checked to be an integer when asked and within [low, high]. */
  static double parse(String name, String value, double low, double high, boolean integer) {
    String range = "[" + format(low) + ", " + format(high) + "]";
    double parsed;
    try {
      parsed = integer ? Long.parseLong(value.trim()) : Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Parameter '" + name + "' takes " + (integer ? "an integer" : "a number")
          + " in " + range + ", but was '" + value + "'.", e);
    }
    if (!(parsed >= low && parsed <= high)) {
      throw new IllegalArgumentException("Parameter '" + name + "' must be in " + range + ", but was " + value
          + ".");
    }
    return parsed;
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
