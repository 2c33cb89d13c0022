package dev.tessera.stages.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * Rungs of successive halving: budgets {@code minBudget * eta^k} for every k whose budget does not pass
 * {@code maxBudget} (budget in the trial's own unit, usually epochs); the best {@code 1/eta} of a rung go on.
 */
public record HalvingSettings(double minBudget, double maxBudget, int eta, Direction direction) {
  public HalvingSettings {
    if (!(minBudget > 0) || Double.isInfinite(minBudget)) {
      throw new IllegalArgumentException("halving.minBudget must be a finite number > 0, but was " + minBudget
          + " (e.g. 1 epoch).");
    }
    if (!(maxBudget >= minBudget) || Double.isInfinite(maxBudget)) {
      throw new IllegalArgumentException("halving.maxBudget must be >= minBudget (" + minBudget + ") and finite, "
          + "but was " + maxBudget + ".");
    }
    if (eta < 2) {
      throw new IllegalArgumentException("halving.eta must be >= 2, but was " + eta
          + " (3 keeps the best third at each rung).");
    }
    if (direction == null) {
      throw new IllegalArgumentException("halving.direction must be MINIMIZE or MAXIMIZE, but was null.");
    }
  }

  /** The budget of each rung, lowest first: r, r*eta, r*eta^2, ... up to maxBudget. */
  public List<Double> rungBudgets() {
    List<Double> budgets = new ArrayList<>();
    for (double budget = minBudget; budget <= maxBudget * (1 + 1e-9); budget *= eta) {
      budgets.add(budget);
    }
    return List.copyOf(budgets);
  }
}
