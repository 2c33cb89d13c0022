package dev.tessera.experiments.demo;

import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of {@link Numbers}.
 *
 * @param count how many numbers, 1..count
 * @param millisPerItem a pause per number, so the live progress is visible
 */
public record NumbersSpec(int count, int millisPerItem) implements StageSpec {
  public NumbersSpec {
    if (count < 1 || count > 10_000_000) {
      throw new IllegalArgumentException("count must be in [1, 10000000], but was " + count);
    }
    if (millisPerItem < 0 || millisPerItem > 10_000) {
      throw new IllegalArgumentException("millisPerItem must be in [0, 10000], but was " + millisPerItem);
    }
  }
}
