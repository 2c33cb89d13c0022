package dev.tessera.stages.evaluate.metrics;

/**
 * Average precision, the area under the precision-recall step curve without interpolation: scikit-learn's
 * {@code average_precision_score} for binary labels and, one-vs-rest, for multiclass scores ({@code average=
 * "macro"} or {@code "weighted"}).
 *
 * <pre>{@code
 * double ap = AveragePrecision.binary(labels01, positiveScores);
 * double macro = AveragePrecision.oneVsRest(labels, probabilities, Average.MACRO);
 * }</pre>
 *
 * <p>AP = sum over thresholds of (R_n - R_{n-1}) * P_n. Tied scores form one threshold. One-vs-rest needs every
 * class among the labels (as scikit-learn, which infers the classes from them); rows need not sum to 1.
 */
public final class AveragePrecision {
  private AveragePrecision() {}

  private static final String METRIC = "average_precision_score";

  /** AP of binary {@code labels} (1 positive, 0 negative) ranked by {@code scores}; needs a positive. */
  public static double binary(int[] labels, double[] scores) {
    Inputs.binary(METRIC, labels, scores);
    PrecisionRecallCurve.requirePositives(METRIC, labels);
    return PrecisionRecallCurve.of(labels, scores).averagePrecision();
  }

  /** The AP of each class against the rest (index = class). */
  public static double[] perClass(int[] labels, double[][] scores) {
    return Inputs.perClass(METRIC, labels, scores,
        (binary, column) -> PrecisionRecallCurve.of(binary, column).averagePrecision())
        .stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** As {@link #perClass(int[], double[][])} for float scores (exactly widened). */
  public static double[] perClass(int[] labels, float[][] scores) {
    return perClass(labels, Inputs.toDouble(scores));
  }

  /** The one-vs-rest APs averaged over classes. */
  public static double oneVsRest(int[] labels, double[][] scores, Average average) {
    double[] perClass = perClass(labels, scores);
    return average.combine(perClass, RocAuc.support(labels, perClass.length));
  }

  /** As {@link #oneVsRest(int[], double[][], Average)} for float scores (exactly widened). */
  public static double oneVsRest(int[] labels, float[][] scores, Average average) {
    return oneVsRest(labels, Inputs.toDouble(scores), average);
  }
}
