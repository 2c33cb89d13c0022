package dev.tessera.stages.evaluate.metrics;

/** How one-vs-rest per-class scores are combined into one number, as scikit-learn's {@code average=}. */
public enum Average {
  /** The unweighted mean over classes ({@code average="macro"}). */
  MACRO,
  /** The mean over classes weighted by each class's number of true samples ({@code average="weighted"}). */
  WEIGHTED
}
