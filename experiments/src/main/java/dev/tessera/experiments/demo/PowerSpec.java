package dev.tessera.experiments.demo;

import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of {@link Power}.
 *
 * @param exponent each number is raised to this power
 * @param millisPerItem a pause per number, so the live progress is visible
 */
public record PowerSpec(int exponent, int millisPerItem) implements StageSpec {
  public PowerSpec {
    if (exponent < 0 || exponent > 8) {
      throw new IllegalArgumentException("exponent must be in [0, 8], but was " + exponent);
    }
    if (millisPerItem < 0 || millisPerItem > 10_000) {
      throw new IllegalArgumentException("millisPerItem must be in [0, 10000], but was " + millisPerItem);
    }
  }
}
