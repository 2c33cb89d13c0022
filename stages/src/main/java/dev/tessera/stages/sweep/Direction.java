package dev.tessera.stages.sweep;

/** Whether a sweep looks for the smallest or the largest objective value. */
public enum Direction {
  MINIMIZE,
  MAXIMIZE;

  /** The value turned into a loss: smaller is better either way. */
  public double loss(double value) {
    return this == MINIMIZE ? value : -value;
  }

  /** Whether {@code a} is strictly better than {@code b}. */
  public boolean better(double a, double b) {
    return loss(a) < loss(b);
  }
}
