package dev.tessera.pipelines.dag;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a stage reports after writing its output: how many items the artifact holds and summary figures (for
 * example {@code accuracy}), which are logged as {@code stage/name} metrics and shown by {@code tessera runs}.
 */
public record StageResult(long itemCount, Map<String, Double> summary) {
  public StageResult {
    if (itemCount < 0) {
      throw new IllegalArgumentException("itemCount must be >= 0, but was " + itemCount);
    }
    summary = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(summary)); // keeps the stage's order
  }

  /** A result with no summary figures. */
  public static StageResult of(long itemCount) {
    return new StageResult(itemCount, Map.of());
  }

  /** A copy with one more summary figure. */
  public StageResult with(String name, double value) {
    Map<String, Double> copy = new LinkedHashMap<>(summary);
    copy.put(name, value);
    return new StageResult(itemCount, copy);
  }
}
