package dev.tessera.stages.evaluate.metrics;

/**
 * The mean of per-class recall over the classes that occur among the true labels: scikit-learn's
 * {@code balanced_accuracy_score}.
 *
 * <pre>{@code
 * double score = BalancedAccuracy.of(actual, predicted, 10);
 * double fromMatrix = BalancedAccuracy.of(counts);       // counts[actual][predicted]
 * }</pre>
 *
 * <p>A class that is only ever predicted, never true, has no recall and is left out of the mean (scikit-learn
 * warns and does the same), so the class count does not change the score.
 */
public final class BalancedAccuracy {
  private BalancedAccuracy() {}

  private static final String METRIC = "balanced_accuracy_score";

  /** Balanced accuracy of label pairs; labels in [0, classes). */
  public static double of(int[] actual, int[] predicted, int classes) {
    return of(Counts.of(METRIC, actual, predicted, classes));
  }

  /** Balanced accuracy of confusion counts ({@code counts[actual][predicted]}). */
  public static double of(long[][] counts) {
    return score(counts, false);
  }

  /**
   * Balanced accuracy rescaled so chance scores 0 and perfect 1 ({@code adjusted=True}): (score - 1/n) / (1 -
   * 1/n) with n the number of classes among the true labels.
   */
  public static double adjusted(long[][] counts) {
    return score(counts, true);
  }

  private static double score(long[][] counts, boolean adjusted) {
    Counts.check(METRIC, counts);
    double sum = 0;
    int present = 0;
    for (int a = 0; a < counts.length; a++) {
      long support = 0;
      for (long c : counts[a]) {
        support += c;
      }
      if (support > 0) {
        sum += (double) counts[a][a] / support;
        present++;
      }
    }
    double score = sum / present;
    if (adjusted) {
      double chance = 1.0 / present;
      score = (score - chance) / (1 - chance);
    }
    return score;
  }
}
