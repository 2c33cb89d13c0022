package dev.tessera.stages.sweep;

/**
 * Asynchronous successive halving (ASHA) for a {@link Sweep}, in epochs: every trial first trains
 * {@code minEpochs}; a trial among the best {@code 1/eta} of a rung so far is promoted to {@code eta} times the
 * epochs, continuing from its checkpoint; rungs end at the largest {@code minEpochs * eta^k <= maxEpochs}.
 *
 * <pre>{@code
 * new HalvingSpec(1, 9, 3)   // rungs at 1, 3 and 9 epochs; the best third of each rung goes on
 * HalvingSpec.off()          // every trial trains train.epochs
 * }</pre>
 *
 * @param minEpochs epochs of the lowest rung, >= 1; 0 turns halving off
 * @param maxEpochs the most epochs any trial trains, >= minEpochs (0 when off)
 * @param eta the promotion ratio, >= 2
 */
public record HalvingSpec(int minEpochs, int maxEpochs, int eta) {

  public HalvingSpec {
    if (minEpochs < 0 || minEpochs > 10_000) {
      throw new IllegalArgumentException("sweep.halving.minEpochs must be in [0, 10000] (0: no halving), but was "
          + minEpochs);
    }
    if (minEpochs > 0 && (maxEpochs < minEpochs || maxEpochs > 10_000)) {
      throw new IllegalArgumentException("sweep.halving.maxEpochs must be in [minEpochs=" + minEpochs
          + ", 10000], but was " + maxEpochs + "; set it to the epochs a fully trained trial gets");
    }
    if (eta < 2 || eta > 100) {
      throw new IllegalArgumentException("sweep.halving.eta must be in [2, 100], but was " + eta
          + " (3 keeps the best third of each rung)");
    }
  }

  /** No halving: each trial trains its {@code train.epochs}. */
  public static HalvingSpec off() {
    return new HalvingSpec(0, 0, 3);
  }

  /** Whether trials are stopped and promoted by successive halving. */
  public boolean enabled() {
    return minEpochs > 0;
  }

  /** The decision logic's settings for this spec (budgets in epochs). */
  HalvingSettings settings(Direction direction) {
    return new HalvingSettings(minEpochs, maxEpochs, eta, direction);
  }
}
