package dev.tessera.stages.train;

import java.util.Arrays;

/**
 * Stops training when the monitored validation metric has not improved for {@code patience} epochs, and picks the
 * model the stage outputs. Improvement means better than the best so far by more than {@code minDelta}.
 *
 * <pre>{@code
 * new EarlyStoppingSpec(Monitor.LOSS, 3, 1e-4, ModelChoice.BEST)   // stop after 3 epochs without a lower val/loss
 * }</pre>
 *
 * @param monitor the validation metric watched: {@code LOSS} (lower is better) or {@code ACCURACY} (higher is)
 * @param patience epochs without improvement before stopping, >= 0; 0 never stops early
 * @param minDelta the least change that counts as an improvement, >= 0
 * @param output the weights the stage outputs: {@code BEST} (of the monitored metric; the last ones when nothing is
 *     validated) or {@code LAST}
 */
public record EarlyStoppingSpec(Monitor monitor, int patience, double minDelta, ModelChoice output) {

  /** The validation metric early stopping and {@link ModelChoice#BEST} follow. */
  public enum Monitor {
    /** {@code val/loss}, lower is better. */
    LOSS,
    /** {@code val/accuracy}, higher is better. */
    ACCURACY
  }

  /** Which weights become the stage's model. */
  public enum ModelChoice {
    /** Those of the epoch with the best monitored validation metric. */
    BEST,
    /** Those after the last epoch trained. */
    LAST
  }

  public EarlyStoppingSpec {
    if (monitor == null) {
      throw new IllegalArgumentException("train.earlyStopping.monitor must be one of "
          + Arrays.toString(Monitor.values()) + ", but was null");
    }
    if (patience < 0) {
      throw new IllegalArgumentException("train.earlyStopping.patience must be >= 0 (0: never stop early), but was "
          + patience);
    }
    if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
      throw new IllegalArgumentException("train.earlyStopping.minDelta must be >= 0, but was " + minDelta);
    }
    if (output == null) {
      throw new IllegalArgumentException("train.earlyStopping.output must be one of "
          + Arrays.toString(ModelChoice.values()) + ", but was null");
    }
  }

  /** Watch val/loss, never stop early, output the best weights. */
  public static EarlyStoppingSpec defaults() {
    return new EarlyStoppingSpec(Monitor.LOSS, 0, 0, ModelChoice.BEST);
  }

  /** Whether {@code value} improves on {@code best} (NaN: nothing yet). */
  boolean improves(double value, double best) {
    if (Double.isNaN(best)) {
      return !Double.isNaN(value);
    }
    return monitor == Monitor.LOSS ? value < best - minDelta : value > best + minDelta;
  }
}
