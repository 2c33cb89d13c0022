package dev.tessera.stages.evaluate.metrics;

/**
 * Area under the ROC curve: scikit-learn's {@code roc_auc_score} for binary labels and, one-vs-rest, for
 * multiclass probabilities ({@code multi_class="ovr"}, {@code average="macro"} or {@code "weighted"}).
 *
 * <pre>{@code
 * double auc = RocAuc.binary(labels01, positiveScores);
 * double macro = RocAuc.oneVsRest(labels, probabilities, Average.MACRO);   // probabilities[sample][class]
 * }</pre>
 *
 * <p>Tied scores count half, as the trapezoid through a tie's single point does. One-vs-rest needs every class
 * among the labels and every row to sum to 1 within 1e-5 (scikit-learn rejects anything else); column {@code c}
 * scores class {@code c}. With exactly 2 columns it computes the one-vs-rest average too, where scikit-learn
 * instead wants the positive column alone: call {@link #binary} with column 1 for its value.
 */
public final class RocAuc {
  private RocAuc() {}

  private static final String METRIC = "roc_auc_score";

  /** AUC of binary {@code labels} (1 positive, 0 negative) ranked by {@code scores}; both classes must occur. */
  public static double binary(int[] labels, double[] scores) {
    Inputs.binary(METRIC, labels, scores);
    Inputs.bothClasses(METRIC, labels);
    return RocCurve.of(labels, scores).auc();
  }

  /** The AUC of each class against the rest (index = class). */
  public static double[] perClass(int[] labels, double[][] probabilities) {
    Inputs.classes(METRIC, labels, probabilities);
    Inputs.rowsSumToOne(METRIC, probabilities);
    return Inputs.perClass(METRIC, labels, probabilities, (binary, scores) -> RocCurve.of(binary, scores).auc())
        .stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** As {@link #perClass(int[], double[][])} for float probabilities (exactly widened). */
  public static double[] perClass(int[] labels, float[][] probabilities) {
    return perClass(labels, Inputs.toDouble(probabilities));
  }

  /** The one-vs-rest AUCs averaged over classes. */
  public static double oneVsRest(int[] labels, double[][] probabilities, Average average) {
    double[] perClass = perClass(labels, probabilities);
    return average.combine(perClass, support(labels, perClass.length));
  }

  /** As {@link #oneVsRest(int[], double[][], Average)} for float probabilities (exactly widened). */
  public static double oneVsRest(int[] labels, float[][] probabilities, Average average) {
    return oneVsRest(labels, Inputs.toDouble(probabilities), average);
  }

  static long[] support(int[] labels, int classes) {
    long[] support = new long[classes];
    for (int label : labels) {
      support[label]++;
    }
    return support;
  }
}
