package dev.tessera.stages.evaluate.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * A receiver operating characteristic curve: scikit-learn's {@code roc_curve} for binary labels.
 *
 * <pre>{@code
 * RocCurve roc = RocCurve.of(labels, scores);            // labels 0/1, any finite scores
 * double auc = roc.auc();                                // == RocAuc.binary(labels, scores)
 * List<RocCurve> perClass = RocCurve.oneVsRest(labels, probabilities);
 * }</pre>
 *
 * <p>Point 0 is (0, 0) at threshold {@code +Infinity}; point {@code i > 0} is the rates of predicting positive for
 * scores >= {@code thresholds[i]}; thresholds decrease, both rates increase and end at 1. Tied scores form one
 * point. With {@code dropIntermediate} (scikit-learn's default) a point is dropped when both its false- and
 * true-positive counts lie on a straight line with its neighbours (second difference 0 in both); the first and
 * last are always kept. Dropping changes neither the area nor the drawn shape. Arrays are the record's own: do not
 * modify them.
 *
 * @param fpr false-positive rates, increasing, from 0 to 1
 * @param tpr true-positive rates, increasing, from 0 to 1
 * @param thresholds decreasing score thresholds, the first {@code +Infinity}
 */
public record RocCurve(double[] fpr, double[] tpr, double[] thresholds) {
  public RocCurve {
    if (fpr.length != tpr.length || fpr.length != thresholds.length) {
      throw new IllegalArgumentException("roc_curve: fpr, tpr and thresholds must have one entry per point, but "
          + "had " + fpr.length + ", " + tpr.length + " and " + thresholds.length);
    }
  }

  /** The curve with scikit-learn's default {@code drop_intermediate=True}. */
  public static RocCurve of(int[] labels, double[] scores) {
    return of(labels, scores, true);
  }

  /**
   * The curve of binary {@code labels} (1 positive, 0 negative) ranked by {@code scores} (higher means more
   * positive). Fails unless both classes occur, the lengths match and every score is finite.
   */
  public static RocCurve of(int[] labels, double[] scores, boolean dropIntermediate) {
    Inputs.binary("roc_curve", labels, scores);
    Inputs.bothClasses("roc_curve", labels);
    ThresholdCounts counts = ThresholdCounts.of(labels, scores);
    double[] fps = counts.fps();
    double[] tps = counts.tps();
    int n = counts.size();
    List<Integer> kept = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean corner = !dropIntermediate || n <= 2 || i == 0 || i == n - 1
          || secondDifference(fps, i) != 0 || secondDifference(tps, i) != 0;
      if (corner) {
        kept.add(i);
      }
    }
    double negatives = fps[n - 1];
    double positives = tps[n - 1];
    double[] fpr = new double[kept.size() + 1];
    double[] tpr = new double[kept.size() + 1];
    double[] thresholds = new double[kept.size() + 1];
    thresholds[0] = Double.POSITIVE_INFINITY;
    for (int k = 0; k < kept.size(); k++) {
      int i = kept.get(k);
      fpr[k + 1] = fps[i] / negatives;
      tpr[k + 1] = tps[i] / positives;
      thresholds[k + 1] = counts.thresholds()[i];
    }
    return new RocCurve(fpr, tpr, thresholds);
  }

  /**
   * One curve per class (index = class): class {@code c} against the rest, ranked by column {@code c} of
   * {@code probabilities}. Fails when a class has no samples.
   */
  public static List<RocCurve> oneVsRest(int[] labels, double[][] probabilities) {
    return Inputs.perClass("roc_curve", labels, probabilities, RocCurve::of);
  }

  /** As {@link #oneVsRest(int[], double[][])} for float probabilities (exactly widened). */
  public static List<RocCurve> oneVsRest(int[] labels, float[][] probabilities) {
    return oneVsRest(labels, Inputs.toDouble(probabilities));
  }

  /** The area under the curve by the trapezoidal rule (scikit-learn's {@code auc(fpr, tpr)}). */
  public double auc() {
    double area = 0;
    for (int i = 1; i < fpr.length; i++) {
      area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2.0;
    }
    return area;
  }

  /** The number of points. */
  public int size() {
    return fpr.length;
  }

  private static double secondDifference(double[] values, int i) {
    return (values[i + 1] - values[i]) - (values[i] - values[i - 1]);
  }
}
