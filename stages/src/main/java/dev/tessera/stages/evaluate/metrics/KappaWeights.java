package dev.tessera.stages.evaluate.metrics;

/** How Cohen's kappa weighs a disagreement between classes i and j, as scikit-learn's {@code weights=}. */
public enum KappaWeights {
  /** Every disagreement weighs 1 ({@code weights=None}). */
  NONE,
  /** A disagreement weighs |i - j| ({@code weights="linear"}). */
  LINEAR,
  /** A disagreement weighs (i - j)^2 ({@code weights="quadratic"}). */
  QUADRATIC;

  /** The weight of classifying class {@code i} as class {@code j}. */
  public double weight(int i, int j) {
    int d = Math.abs(i - j);
    return this == NONE ? Math.min(d, 1) : this == LINEAR ? d : (double) d * d;
  }
}
