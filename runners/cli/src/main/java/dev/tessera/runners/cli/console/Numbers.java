package dev.tessera.runners.cli.console;

import java.util.Locale;

/** Compact number formatting for tables. */
public final class Numbers {
  private Numbers() {}

  /** Integers without a fraction, others with up to 4 significant decimals. */
  public static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    if (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-3) {
      return String.format(Locale.ROOT, "%.3e", value);
    }
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
