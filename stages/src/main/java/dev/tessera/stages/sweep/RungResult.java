package dev.tessera.stages.sweep;

/** A trial's objective value after training to the budget of {@code rung} (0 is the lowest rung). */
public record RungResult(String trial, int rung, double value) {
  public RungResult {
    if (trial == null || trial.isBlank()) {
      throw new IllegalArgumentException("A rung result needs the trial's id, but was '" + trial + "'.");
    }
    if (rung < 0) {
      throw new IllegalArgumentException("Trial '" + trial + "' reported rung " + rung + ": rungs count from 0.");
    }
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("Trial '" + trial + "' reported NaN at rung " + rung
          + ": report failed trials as stopped, not as results.");
    }
  }
}
