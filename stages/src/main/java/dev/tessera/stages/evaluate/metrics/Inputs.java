package dev.tessera.stages.evaluate.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Checks shared by the metrics. Every message starts with the metric's scikit-learn name, says what is wrong with
 * which value and what to pass instead.
 */
final class Inputs {
  private Inputs() {}

  /** Tolerance of scikit-learn's multiclass ROC AUC check {@code np.allclose(1, y_score.sum(axis=1))}. */
  private static final double SUM_RTOL = 1e-5;
  private static final double SUM_ATOL = 1e-8;

  /** Checks that labels and scores pair up one to one and are not empty. */
  static void sameLength(String metric, int labels, int scores, String scoresName) {
    if (labels != scores) {
      throw new IllegalArgumentException(metric + ": labels has " + labels + " entries but " + scoresName + " has "
          + scores + "; pass one " + scoresName + " entry per labelled sample.");
    }
    if (labels == 0) {
      throw new IllegalArgumentException(metric + ": labels and " + scoresName + " are empty; pass at least one "
          + "sample.");
    }
  }

  /** Checks binary labels (0 or 1), finite scores and equal lengths. */
  static void binary(String metric, int[] labels, double[] scores) {
    sameLength(metric, labels.length, scores.length, "scores");
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(metric + ": labels[" + i + "] = " + labels[i] + ", but binary labels "
            + "must be 0 (negative) or 1 (positive); for more classes use the one-vs-rest variant.");
      }
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException(metric + ": scores[" + i + "] = " + scores[i] + " is not finite; "
            + "pass finite scores (probabilities or decision values).");
      }
    }
  }

  /**
   * Checks a probability matrix against its labels: one row per label, at least 2 columns, the same count in every
   * row, finite values, labels in [0, columns). Returns the number of classes (columns).
   */
  static int classes(String metric, int[] labels, double[][] probabilities) {
    sameLength(metric, labels.length, probabilities.length, "probabilities");
    int classes = probabilities[0].length;
    if (classes < 2) {
      throw new IllegalArgumentException(metric + ": probabilities have " + classes + " column(s), but need one "
          + "column per class and at least 2 classes.");
    }
    for (int i = 0; i < labels.length; i++) {
      double[] row = probabilities[i];
      if (row.length != classes) {
        throw new IllegalArgumentException(metric + ": probabilities[" + i + "] has " + row.length + " columns, "
            + "but row 0 has " + classes + "; pass one column per class in every row.");
      }
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(metric + ": labels[" + i + "] = " + labels[i] + " is outside [0, "
            + classes + "), the class indices of the probability columns; pass class indices.");
      }
      for (int c = 0; c < classes; c++) {
        if (!Double.isFinite(row[c])) {
          throw new IllegalArgumentException(metric + ": probabilities[" + i + "][" + c + "] = " + row[c]
              + " is not finite; pass finite probabilities.");
        }
      }
    }
    return classes;
  }

  /** Checks that every row sums to 1 within scikit-learn's tolerance (rtol 1e-5, atol 1e-8). */
  static void rowsSumToOne(String metric, double[][] probabilities) {
    for (int i = 0; i < probabilities.length; i++) {
      double sum = 0;
      for (double p : probabilities[i]) {
        sum += p;
      }
      if (!(Math.abs(1 - sum) <= SUM_ATOL + SUM_RTOL * Math.abs(sum))) {
        throw new IllegalArgumentException(metric + ": probabilities[" + i + "] sums to " + sum + ", but "
            + "one-vs-rest needs each row to sum to 1 (within 1e-5); pass probabilities (apply softmax to "
            + "logits) rather than raw scores.");
      }
    }
  }

  /** Checks that every class has at least one positive (and, as a consequence of 2+ classes, one negative). */
  static long[] supportOfEveryClass(String metric, int[] labels, int classes) {
    long[] support = new long[classes];
    for (int label : labels) {
      support[label]++;
    }
    for (int c = 0; c < classes; c++) {
      if (support[c] == 0) {
        throw new IllegalArgumentException(metric + ": class " + c + " has no samples among the " + labels.length
            + " labels, so its one-vs-rest score is undefined; evaluate on a split that contains every class.");
      }
      if (support[c] == labels.length) {
        throw new IllegalArgumentException(metric + ": every one of the " + labels.length + " labels is class "
            + c + ", so no class has negatives and the score is undefined; evaluate on a split with 2+ classes.");
      }
    }
    return support;
  }

  /** Checks that binary labels hold both a positive and a negative. */
  static void bothClasses(String metric, int[] labels) {
    long positives = 0;
    for (int label : labels) {
      positives += label;
    }
    if (positives == 0 || positives == labels.length) {
      throw new IllegalArgumentException(metric + ": all " + labels.length + " labels are "
          + (positives == 0 ? "0 (no positives)" : "1 (no negatives)") + ", so the score is undefined; evaluate "
          + "on samples of both classes.");
    }
  }

  /**
   * Applies a binary metric to each class against the rest (index = class): labels 1 where the label is that
   * class, scored by that class's column. Checks the inputs first; every class must have samples.
   */
  static <T> List<T> perClass(String metric, int[] labels, double[][] probabilities,
      BiFunction<int[], double[], T> binaryMetric) {
    int classes = classes(metric, labels, probabilities);
    supportOfEveryClass(metric, labels, classes);
    List<T> results = new ArrayList<>(classes);
    for (int c = 0; c < classes; c++) {
      results.add(binaryMetric.apply(oneVsRest(labels, c), column(probabilities, c)));
    }
    return results;
  }

  /** Labels of the one-vs-rest problem for {@code positive}: 1 where the label is that class, else 0. */
  static int[] oneVsRest(int[] labels, int positive) {
    int[] binary = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      binary[i] = labels[i] == positive ? 1 : 0;
    }
    return binary;
  }

  /** Column {@code c} of a matrix. */
  static double[] column(double[][] matrix, int c) {
    double[] column = new double[matrix.length];
    for (int i = 0; i < matrix.length; i++) {
      column[i] = matrix[i][c];
    }
    return column;
  }

  /** The same values as doubles (exact: every float is a double). */
  static double[][] toDouble(float[][] values) {
    double[][] out = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = new double[values[i].length];
      for (int c = 0; c < values[i].length; c++) {
        out[i][c] = values[i][c];
      }
    }
    return out;
  }
}
