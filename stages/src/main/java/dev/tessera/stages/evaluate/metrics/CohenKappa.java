package dev.tessera.stages.evaluate.metrics;

/**
 * Cohen's kappa, agreement between two labelings beyond chance: scikit-learn's {@code cohen_kappa_score} with
 * {@code labels=range(classes)}.
 *
 * <pre>{@code
 * double kappa = CohenKappa.of(actual, predicted, 10, KappaWeights.NONE);
 * double quadratic = CohenKappa.of(counts, KappaWeights.QUADRATIC);   // counts[actual][predicted]
 * }</pre>
 *
 * <p>kappa = 1 - sum(w * observed) / sum(w * expected), where expected[i][j] = row_i * column_j / total and
 * w[i][j] is 1 off the diagonal (unweighted), |i - j| (linear) or (i - j)^2 (quadratic), i and j being class
 * indices. Given labels without {@code labels=}, scikit-learn numbers only the classes that occur, which changes
 * the linear and quadratic weights when a class in between is missing. Kappa is undefined (scikit-learn returns
 * NaN with a warning) when the chance disagreement is 0, such as when everything is one class; this fails instead.
 */
public final class CohenKappa {
  private CohenKappa() {}

  private static final String METRIC = "cohen_kappa_score";

  /** Kappa of label pairs; labels in [0, classes). */
  public static double of(int[] actual, int[] predicted, int classes, KappaWeights weights) {
    return of(Counts.of(METRIC, actual, predicted, classes), weights);
  }

  /** Kappa of confusion counts ({@code counts[actual][predicted]}). */
  public static double of(long[][] counts, KappaWeights weights) {
    Counts.check(METRIC, counts);
    int n = counts.length;
    double[] rows = new double[n];
    double[] columns = new double[n];
    double total = 0;
    for (int a = 0; a < n; a++) {
      for (int p = 0; p < n; p++) {
        rows[a] += counts[a][p];
        columns[p] += counts[a][p];
      }
      total += rows[a];
    }
    double observed = 0;
    double expected = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double w = weights.weight(i, j);
        observed += w * counts[i][j];
        expected += w * (columns[i] * rows[j] / total);
      }
    }
    if (expected == 0) {
      throw new IllegalArgumentException(METRIC + ": chance disagreement is 0 (the labelings share at most one "
          + "class), so kappa is undefined; evaluate on samples of at least two classes.");
    }
    return 1 - observed / expected;
  }

  /**
   * Whether kappa is defined for these counts: false when the chance disagreement is 0, which happens exactly when
   * all labels and predictions are one and the same class.
   */
  public static boolean defined(long[][] counts) {
    Counts.check(METRIC, counts);
    int nonEmpty = -1;
    for (int a = 0; a < counts.length; a++) {
      for (int p = 0; p < counts.length; p++) {
        if (counts[a][p] > 0) {
          if (a != p || (nonEmpty >= 0 && nonEmpty != a)) {
            return true;
          }
          nonEmpty = a;
        }
      }
    }
    return false;
  }
}
