package dev.tessera.stages.train;

/** How the learning rate changes over training, as a pure function of the update number. */
public enum LrSchedule {
  /** The spec's learning rate throughout. */
  CONSTANT,
  /** Cosine decay from the spec's learning rate to 1% of it at the last step (needs batches per epoch). */
  COSINE;

  /**
   * The learning rate of update {@code update} (1-based) out of {@code totalUpdates}, starting from {@code base}.
   * A pure function: a resumed run gets the same rate at every step as an uninterrupted one.
   *
   * @param totalUpdates the run's updates; <= 0 when unknown (cosine then stays at {@code base})
   */
  public double learningRate(double base, long update, long totalUpdates) {
    return switch (this) {
      case CONSTANT -> base;
      case COSINE -> {
        if (totalUpdates <= 0) {
          yield base;
        }
        // DJL's CosineTracker formula, in float as it computes it, so mnist-lenet trains as before.
        float baseValue = (float) base;
        float finalValue = baseValue * 0.01f;
        if (update > totalUpdates) {
          yield finalValue;
        }
        yield finalValue + (baseValue - finalValue) / 2 * (1 + (float) Math.cos(Math.PI * update / totalUpdates));
      }
    };
  }
}
