package dev.tessera.stages.sweep;

/** A trial with its objective value; a strategy's history lists them in the order they were started. */
public record FinishedTrial(Trial trial, double value) {
  public FinishedTrial {
    if (trial == null) {
      throw new IllegalArgumentException("A finished trial needs its trial, but was null.");
    }
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("Trial " + trial.values() + " finished with value NaN: leave failed "
          + "trials out of the history (or report a large finite value).");
    }
  }
}
