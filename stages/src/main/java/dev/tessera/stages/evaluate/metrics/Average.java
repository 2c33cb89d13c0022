package dev.tessera.stages.evaluate.metrics;

/** How one-vs-rest per-class scores are combined into one number, as scikit-learn's {@code average=}. */
public enum Average {
  /** The unweighted mean over classes ({@code average="macro"}). */
  MACRO,
  /** The mean over classes weighted by each class's number of true samples ({@code average="weighted"}). */
  WEIGHTED;

  /**
   * Combines per-class scores (index = class) as scikit-learn's {@code _average_binary_score} does.
   *
   * @param perClass one score per class
   * @param support the number of true samples of each class (used by {@link #WEIGHTED}; not all 0)
   */
  public double combine(double[] perClass, long[] support) {
    if (perClass.length != support.length || perClass.length == 0) {
      throw new IllegalArgumentException("average: perClass and support need one entry per class, but had "
          + perClass.length + " and " + support.length);
    }
    double sum = 0;
    if (this == MACRO) {
      for (double s : perClass) {
        sum += s;
      }
      return sum / perClass.length;
    }
    double weights = 0;
    for (int c = 0; c < perClass.length; c++) {
      sum += perClass[c] * support[c];
      weights += support[c];
    }
    return sum / weights;
  }
}
