package dev.tessera.stages.sweep;

import java.util.Arrays;

/**
 * Settings of the tree-structured Parzen estimator (Bergstra et al., 2011). {@link #defaults()} are Optuna 5.1's
 * {@code TPESampler} defaults for one objective: 10 random startup trials, 24 candidates, the best
 * {@code min(ceil(0.1 n), 25)} trials form the "good" density, prior weight 1, magic clip on, endpoints off, and
 * the multivariate (joint) estimator over the parameters every trial has.
 */
public record TpeSettings(int startupTrials, int eiCandidates, double gammaFraction, int gammaCap,
    double priorWeight, boolean considerMagicClip, boolean considerEndpoints, boolean multivariate) {
  public TpeSettings {
    if (startupTrials < 1) {
      throw new IllegalArgumentException("tpe.startupTrials must be >= 1, but was " + startupTrials
          + ": TPE needs some random trials before it models the history (Optuna uses 10).");
    }
    if (eiCandidates < 1) {
      throw new IllegalArgumentException("tpe.eiCandidates must be >= 1, but was " + eiCandidates
          + " (Optuna uses 24).");
    }
    if (!(gammaFraction > 0 && gammaFraction <= 1)) {
      throw new IllegalArgumentException("tpe.gammaFraction must be in (0, 1], but was " + gammaFraction
          + " (Optuna uses 0.1: the best 10% of trials are the good ones).");
    }
    if (gammaCap < 1) {
      throw new IllegalArgumentException("tpe.gammaCap must be >= 1, but was " + gammaCap + " (Optuna uses 25).");
    }
    if (!(priorWeight >= 0) || Double.isInfinite(priorWeight)) {
      throw new IllegalArgumentException("tpe.priorWeight must be a finite number >= 0, but was " + priorWeight
          + " (Optuna uses 1.0).");
    }
  }

  /** Optuna 5.1's defaults for a single objective. */
  public static TpeSettings defaults() {
    return new TpeSettings(10, 24, 0.1, 25, 1.0, true, false, true);
  }

  /** A copy with another number of random startup trials. */
  public TpeSettings withStartupTrials(int value) {
    return new TpeSettings(value, eiCandidates, gammaFraction, gammaCap, priorWeight, considerMagicClip,
        considerEndpoints, multivariate);
  }

  /** A copy with another number of candidates drawn from the good density per suggestion. */
  public TpeSettings withEiCandidates(int value) {
    return new TpeSettings(startupTrials, value, gammaFraction, gammaCap, priorWeight, considerMagicClip,
        considerEndpoints, multivariate);
  }

  /** A copy that models each parameter on its own ({@code false}) or jointly ({@code true}). */
  public TpeSettings withMultivariate(boolean value) {
    return new TpeSettings(startupTrials, eiCandidates, gammaFraction, gammaCap, priorWeight, considerMagicClip,
        considerEndpoints, value);
  }

  /** A copy with another prior kernel weight. */
  public TpeSettings withPriorWeight(double value) {
    return new TpeSettings(startupTrials, eiCandidates, gammaFraction, gammaCap, value, considerMagicClip,
        considerEndpoints, multivariate);
  }

  /** How many of {@code n} finished trials form the good density. */
  public int goodCount(int n) {
    return Math.min((int) Math.ceil(gammaFraction * n), gammaCap);
  }

  /**
   * Kernel weights of {@code n} observations, oldest first: equal up to 25, beyond that the 25 newest weigh 1 and
   * the older ones ramp up linearly from 1/n.
   */
  static double[] observationWeights(int n) {
    double[] weights = new double[n];
    Arrays.fill(weights, 1.0);
    if (n >= 25) {
      int ramp = n - 25;
      for (int i = 0; i < ramp; i++) {
        weights[i] = ramp == 1 ? 1.0 / n : 1.0 / n + i * (1.0 - 1.0 / n) / (ramp - 1);
      }
    }
    return weights;
  }
}
