package dev.tessera.stages.train;

/**
 * An exponential moving average of the weights, updated after every step with YOLOv5's warm-up:
 * {@code d = decay * (1 - exp(-updates / warmupUpdates))}, {@code ema = d * ema + (1 - d) * w}. When enabled, it is
 * validated beside the raw weights ({@code val/ema_loss}, {@code val/ema_accuracy}), kept in checkpoints, and
 * saved in the model directory as {@code ema-NNNN.params}.
 *
 * @param enabled whether to keep the average
 * @param decay the long-run decay, in (0, 1)
 * @param warmupUpdates the updates over which the decay ramps up, >= 1 (YOLOv5: 2000)
 */
public record EmaSpec(boolean enabled, double decay, int warmupUpdates) {

  public EmaSpec {
    if (!(decay > 0 && decay < 1)) {
      throw new IllegalArgumentException("train.ema.decay must be in (0, 1), but was " + decay);
    }
    if (warmupUpdates < 1) {
      throw new IllegalArgumentException("train.ema.warmupUpdates must be >= 1, but was " + warmupUpdates);
    }
  }

  /** Off; when turned on, decay 0.9999 over a 2000-update warm-up (YOLOv5's values). */
  public static EmaSpec off() {
    return new EmaSpec(false, 0.9999, 2000);
  }

  /** On, with this decay and warm-up. */
  public static EmaSpec of(double decay, int warmupUpdates) {
    return new EmaSpec(true, decay, warmupUpdates);
  }

  /** The decay applied at update {@code updates} (1-based). */
  public double decayAt(long updates) {
    return decay * (1 - Math.exp(-(double) updates / warmupUpdates));
  }
}
