package dev.tessera.stages.evaluate.metrics;

import java.util.Arrays;

/**
 * Cumulative true and false positives at each distinct score, highest score first: scikit-learn's
 * {@code confusion_matrix_at_thresholds} without sample weights.
 *
 * <p>Samples are sorted by decreasing score; a run of equal scores (ties; {@code -0.0 == 0.0}) forms one threshold,
 * whose counts include the whole run. The order inside a run therefore never matters.
 *
 * @param fps false positives with score >= threshold, increasing; the last is the number of negatives
 * @param tps true positives with score >= threshold, increasing; the last is the number of positives
 * @param thresholds the distinct scores, decreasing
 */
record ThresholdCounts(double[] fps, double[] tps, double[] thresholds) {

  /** Counts for binary labels (0 or 1, already checked) and finite scores of the same length. */
  static ThresholdCounts of(int[] labels, double[] scores) {
    int n = labels.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Primitive comparisons, so -0.0 and 0.0 tie as they do in numpy.
    Arrays.sort(order, (a, b) -> scores[a] > scores[b] ? -1 : scores[a] < scores[b] ? 1 : 0);
    double[] fps = new double[n];
    double[] tps = new double[n];
    double[] thresholds = new double[n];
    int distinct = 0;
    double positives = 0;
    for (int k = 0; k < n; k++) {
      int i = order[k];
      positives += labels[i];
      boolean lastOfRun = k == n - 1 || scores[order[k + 1]] != scores[i];
      if (lastOfRun) {
        tps[distinct] = positives;
        fps[distinct] = 1 + k - positives;
        thresholds[distinct] = scores[i];
        distinct++;
      }
    }
    return new ThresholdCounts(Arrays.copyOf(fps, distinct), Arrays.copyOf(tps, distinct),
        Arrays.copyOf(thresholds, distinct));
  }

  int size() {
    return thresholds.length;
  }
}
