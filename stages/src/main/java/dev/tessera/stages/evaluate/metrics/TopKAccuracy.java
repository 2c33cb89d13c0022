package dev.tessera.stages.evaluate.metrics;

/**
 * The fraction of samples whose true class is among the {@code k} highest-scored: scikit-learn's
 * {@code top_k_accuracy_score} with {@code labels=range(classes)}.
 *
 * <pre>{@code
 * double top5 = TopKAccuracy.of(labels, probabilities, 5);
 * }</pre>
 *
 * <p>Ties as scikit-learn (a stable ascending sort, reversed): among equal scores the higher class index ranks
 * first, so class {@code y} is in the top k when fewer than k classes score higher than it or score the same with a
 * higher index. {@code k >= classes} gives 1.
 */
public final class TopKAccuracy {
  private TopKAccuracy() {}

  private static final String METRIC = "top_k_accuracy_score";

  /** Top-k accuracy over a score matrix ({@code scores[sample][class]}, any finite scores). */
  public static double of(int[] labels, double[][] scores, int k) {
    requirePositiveK(k);
    int classes = Inputs.classes(METRIC, labels, scores);
    long hits = 0;
    for (int i = 0; i < labels.length; i++) {
      int y = labels[i];
      double own = scores[i][y];
      int ahead = 0;
      for (int c = 0; c < classes; c++) {
        if (scores[i][c] > own || (scores[i][c] == own && c > y)) {
          ahead++;
        }
      }
      if (ahead < k) {
        hits++;
      }
    }
    return (double) hits / labels.length;
  }

  /** As {@link #of(int[], double[][], int)} for float scores (exactly widened). */
  public static double of(int[] labels, float[][] scores, int k) {
    return of(labels, Inputs.toDouble(scores), k);
  }

  /**
   * Binary top-k accuracy from the positive class's scores, as scikit-learn does for 1-D scores: for {@code k = 1}
   * the prediction is positive when the score exceeds 0.5 (all scores in [0, 1]) or 0 (otherwise); for
   * {@code k >= 2} every sample is a hit.
   */
  public static double binary(int[] labels, double[] scores, int k) {
    requirePositiveK(k);
    Inputs.binary(METRIC, labels, scores);
    if (k >= 2) {
      return 1.0;
    }
    boolean probabilities = true;
    for (double s : scores) {
      probabilities &= s >= 0 && s <= 1;
    }
    double threshold = probabilities ? 0.5 : 0.0;
    long hits = 0;
    for (int i = 0; i < labels.length; i++) {
      if ((scores[i] > threshold ? 1 : 0) == labels[i]) {
        hits++;
      }
    }
    return (double) hits / labels.length;
  }

  private static void requirePositiveK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException(METRIC + ": k must be >= 1, but was " + k + "; pass how many of the "
          + "highest-scored classes count as a hit.");
    }
  }
}
