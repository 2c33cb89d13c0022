package dev.tessera.stages.evaluate.metrics;

/** Confusion counts for the label metrics, built from label pairs or checked when given. */
final class Counts {
  private Counts() {}

  /** {@code counts[actual][predicted]} over {@code classes} classes; labels must lie in [0, classes). */
  static long[][] of(String metric, int[] actual, int[] predicted, int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException(metric + ": classes must be >= 1, but was " + classes + ".");
    }
    Inputs.sameLength(metric, actual.length, predicted.length, "predicted");
    long[][] counts = new long[classes][classes];
    for (int i = 0; i < actual.length; i++) {
      requireClass(metric, "actual", i, actual[i], classes);
      requireClass(metric, "predicted", i, predicted[i], classes);
      counts[actual[i]][predicted[i]]++;
    }
    return counts;
  }

  /** Checks that counts are square, non-negative and not all zero. */
  static void check(String metric, long[][] counts) {
    long total = 0;
    for (int a = 0; a < counts.length; a++) {
      if (counts[a].length != counts.length) {
        throw new IllegalArgumentException(metric + ": counts must be square (counts[actual][predicted]), but row "
            + a + " has " + counts[a].length + " columns for " + counts.length + " rows.");
      }
      for (int p = 0; p < counts.length; p++) {
        if (counts[a][p] < 0) {
          throw new IllegalArgumentException(metric + ": counts[" + a + "][" + p + "] = " + counts[a][p]
              + " is negative; pass sample counts.");
        }
        total += counts[a][p];
      }
    }
    if (total == 0) {
      throw new IllegalArgumentException(metric + ": the counts hold no samples; pass at least one sample.");
    }
  }

  private static void requireClass(String metric, String name, int i, int label, int classes) {
    if (label < 0 || label >= classes) {
      throw new IllegalArgumentException(metric + ": " + name + "[" + i + "] = " + label + " is outside [0, "
          + classes + "); pass class indices below the class count.");
    }
  }
}
