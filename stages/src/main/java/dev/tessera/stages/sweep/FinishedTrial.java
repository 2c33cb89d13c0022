package dev.tessera.stages.sweep;

/**
 * A trial with its objective value at the highest successive-halving rung it reached ({@code rung}, 0 without
 * halving); a strategy's history lists them in the order they were started.
 */
public record FinishedTrial(Trial trial, double value, int rung) {
  public FinishedTrial {
    if (trial == null) {
      throw new IllegalArgumentException("A finished trial needs its trial, but was null.");
    }
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("Trial " + trial.values() + " finished with value NaN: leave failed "
          + "trials out of the history (or report a large finite value).");
    }
    if (rung < 0) {
      throw new IllegalArgumentException("Trial " + trial.values() + " has rung " + rung + ", but a rung is >= 0 "
          + "(0 is the first, or the only one without successive halving).");
    }
  }

  /** A trial trained to its full budget (no successive halving): rung 0. */
  public FinishedTrial(Trial trial, double value) {
    this(trial, value, 0);
  }
}
