package dev.tessera.stages.evaluate;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Counts of (actual class, predicted class) pairs; rows are actual classes, columns predicted ones.
 *
 * <pre>{@code
 * ConfusionMatrix m = new ConfusionMatrix(10);
 * m.addAll(labels, predictions);                       // an accumulator: add mutates
 * ConfusionMatrix total = m.merge(fromAnotherWorker);  // merge returns a new matrix
 * ClassificationReport report = ClassificationReport.of(total, classNames);
 * }</pre>
 *
 * <p>Serializable and mergeable (merge is associative and commutative, the empty matrix is its identity), so a
 * Beam {@code CombineFn} can use it as its accumulator. Not thread-safe.
 */
public final class ConfusionMatrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[][] counts;

  /** An empty matrix for {@code classes} classes, >= 1. */
  public ConfusionMatrix(int classes) {
    if (classes < 1) {
      throw new IllegalArgumentException("confusion.classes must be >= 1, but was " + classes);
    }
    this.counts = new long[classes][classes];
  }

  /** A matrix with the given counts ({@code counts[actual][predicted]}, square, non-negative); copied. */
  public static ConfusionMatrix of(long[][] counts) {
    ConfusionMatrix matrix = new ConfusionMatrix(counts.length);
    for (int a = 0; a < counts.length; a++) {
      if (counts[a].length != counts.length) {
        throw new IllegalArgumentException(
            "confusion counts must be square, but row " + a + " has " + counts[a].length + " columns for "
                + counts.length + " rows");
      }
      for (int p = 0; p < counts.length; p++) {
        if (counts[a][p] < 0) {
          throw new IllegalArgumentException(
              "confusion counts must be >= 0, but counts[" + a + "][" + p + "] was " + counts[a][p]);
        }
        matrix.counts[a][p] = counts[a][p];
      }
    }
    return matrix;
  }

  /** A matrix counting the pairs {@code (actual[i], predicted[i])}. */
  public static ConfusionMatrix of(int classes, int[] actual, int[] predicted) {
    ConfusionMatrix matrix = new ConfusionMatrix(classes);
    matrix.addAll(actual, predicted);
    return matrix;
  }

  /** Counts one sample. */
  public void add(int actual, int predicted) {
    check("actual", actual);
    check("predicted", predicted);
    counts[actual][predicted]++;
  }

  /** Counts the pairs {@code (actual[i], predicted[i])}. */
  public void addAll(int[] actual, int[] predicted) {
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException(
          "actual and predicted must have the same length, but had " + actual.length + " and "
              + predicted.length);
    }
    for (int i = 0; i < actual.length; i++) {
      add(actual[i], predicted[i]);
    }
  }

  /** A new matrix holding the sum of this one and {@code other}; neither is changed. */
  public ConfusionMatrix merge(ConfusionMatrix other) {
    if (other.classes() != classes()) {
      throw new IllegalArgumentException(
          "Cannot merge confusion matrices of " + classes() + " and " + other.classes() + " classes");
    }
    ConfusionMatrix sum = new ConfusionMatrix(classes());
    for (int a = 0; a < classes(); a++) {
      for (int p = 0; p < classes(); p++) {
        sum.counts[a][p] = counts[a][p] + other.counts[a][p];
      }
    }
    return sum;
  }

  public int classes() {
    return counts.length;
  }

  /** Samples of class {@code actual} predicted as {@code predicted}. */
  public long count(int actual, int predicted) {
    check("actual", actual);
    check("predicted", predicted);
    return counts[actual][predicted];
  }

  /** A copy of the counts, {@code [actual][predicted]}. */
  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int a = 0; a < counts.length; a++) {
      copy[a] = counts[a].clone();
    }
    return copy;
  }

  /** All samples counted. */
  public long total() {
    long total = 0;
    for (long[] row : counts) {
      for (long c : row) {
        total += c;
      }
    }
    return total;
  }

  /** Samples on the diagonal (predicted right). */
  public long correct() {
    long correct = 0;
    for (int c = 0; c < counts.length; c++) {
      correct += counts[c][c];
    }
    return correct;
  }

  /** Samples whose actual class is {@code actual} (row sum). */
  public long support(int actual) {
    return Arrays.stream(counts[actual]).sum();
  }

  /** Samples predicted as {@code predicted} (column sum). */
  public long predictedCount(int predicted) {
    long sum = 0;
    for (long[] row : counts) {
      sum += row[predicted];
    }
    return sum;
  }

  private void check(String what, int index) {
    if (index < 0 || index >= counts.length) {
      throw new IllegalArgumentException(
          "confusion." + what + " class must be in [0, " + counts.length + "), but was " + index);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix other && Arrays.deepEquals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(counts);
  }

  @Override
  public String toString() {
    return "ConfusionMatrix" + Arrays.deepToString(counts);
  }
}
