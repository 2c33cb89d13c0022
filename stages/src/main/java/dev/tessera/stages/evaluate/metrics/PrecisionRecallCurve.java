package dev.tessera.stages.evaluate.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * A precision-recall curve: scikit-learn's {@code precision_recall_curve} for binary labels.
 *
 * <pre>{@code
 * PrecisionRecallCurve pr = PrecisionRecallCurve.of(labels, scores);
 * double ap = pr.averagePrecision();                     // == AveragePrecision.binary(labels, scores)
 * }</pre>
 *
 * <p>Point {@code i < thresholds.length} is the precision and recall of predicting positive for scores >=
 * {@code thresholds[i]}; thresholds increase, so recall decreases. A last point (precision 1, recall 0) without a
 * threshold closes the curve, so {@code precision} and {@code recall} have one entry more than {@code thresholds}.
 * Tied scores form one point. A threshold with no predicted positive would have precision 0, but it cannot occur
 * since every threshold is a score. With {@code dropIntermediate} (default false, as in scikit-learn) only the first
 * and last point of each run of equal true-positive counts (equal recall) are kept. Arrays are the record's own: do
 * not modify them.
 *
 * @param precision precision at each threshold, then 1
 * @param recall recall at each threshold (decreasing), then 0
 * @param thresholds increasing score thresholds
 */
public record PrecisionRecallCurve(double[] precision, double[] recall, double[] thresholds) {
  public PrecisionRecallCurve {
    if (precision.length != recall.length || precision.length != thresholds.length + 1) {
      throw new IllegalArgumentException("precision_recall_curve: precision and recall need one entry more than "
          + "thresholds, but had " + precision.length + ", " + recall.length + " and " + thresholds.length);
    }
  }

  /** The curve with scikit-learn's default {@code drop_intermediate=False}. */
  public static PrecisionRecallCurve of(int[] labels, double[] scores) {
    return of(labels, scores, false);
  }

  /**
   * The curve of binary {@code labels} (1 positive, 0 negative) ranked by {@code scores} (higher means more
   * positive). Fails unless there is at least one positive, the lengths match and every score is finite.
   */
  public static PrecisionRecallCurve of(int[] labels, double[] scores, boolean dropIntermediate) {
    String metric = "precision_recall_curve";
    Inputs.binary(metric, labels, scores);
    requirePositives(metric, labels);
    ThresholdCounts counts = ThresholdCounts.of(labels, scores);
    double[] fps = counts.fps();
    double[] tps = counts.tps();
    int n = counts.size();
    List<Integer> kept = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean keep = !dropIntermediate || n <= 2 || i == 0 || i == n - 1
          || tps[i] != tps[i - 1] || tps[i + 1] != tps[i];
      if (keep) {
        kept.add(i);
      }
    }
    int m = kept.size();
    double positives = tps[n - 1];
    double[] precision = new double[m + 1];
    double[] recall = new double[m + 1];
    double[] thresholds = new double[m];
    for (int k = 0; k < m; k++) {
      int i = kept.get(k);
      int reversed = m - 1 - k;
      double predicted = tps[i] + fps[i];
      precision[reversed] = predicted != 0 ? tps[i] / predicted : 0.0;
      recall[reversed] = tps[i] / positives;
      thresholds[reversed] = counts.thresholds()[i];
    }
    precision[m] = 1.0;
    recall[m] = 0.0;
    return new PrecisionRecallCurve(precision, recall, thresholds);
  }

  /**
   * One curve per class (index = class): class {@code c} against the rest, ranked by column {@code c} of
   * {@code probabilities}. Fails when a class has no samples.
   */
  public static List<PrecisionRecallCurve> oneVsRest(int[] labels, double[][] probabilities) {
    return Inputs.perClass("precision_recall_curve", labels, probabilities, PrecisionRecallCurve::of);
  }

  /**
   * As {@link #oneVsRest(int[], double[][])} for float probabilities (exactly widened), with or without the
   * intermediate points (dropping them keeps each curve's drawn shape and average precision, with fewer points).
   */
  public static List<PrecisionRecallCurve> oneVsRest(int[] labels, float[][] probabilities,
      boolean dropIntermediate) {
    return Inputs.perClass("precision_recall_curve", labels, Inputs.toDouble(probabilities),
        (binary, scores) -> of(binary, scores, dropIntermediate));
  }

  /**
   * Average precision: precision at each threshold weighted by the increase in recall from the previous one, with
   * no interpolation (scikit-learn's {@code average_precision_score}). Meaningful on the curve as computed by
   * {@link #of(int[], double[])}; dropping intermediate points does not change it.
   */
  public double averagePrecision() {
    double sum = 0;
    for (int i = 0; i < thresholds.length; i++) {
      sum += (recall[i + 1] - recall[i]) * precision[i];
    }
    // As scikit-learn: the sum is <= 0 up to rounding, and a rounding -0.0 becomes 0.
    return Math.max(0.0, -sum);
  }

  /** The number of points, including the closing (recall 0, precision 1). */
  public int size() {
    return precision.length;
  }

  static void requirePositives(String metric, int[] labels) {
    for (int label : labels) {
      if (label == 1) {
        return;
      }
    }
    throw new IllegalArgumentException(metric + ": none of the " + labels.length + " labels is 1, so recall is "
        + "undefined; evaluate on samples that include positives.");
  }
}
