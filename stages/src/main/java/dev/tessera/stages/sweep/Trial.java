package dev.tessera.stages.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration to try: the active parameters' spec paths and their values as {@code --set} texts, in the
 * space's declaration order. Inactive conditional parameters are absent.
 */
public record Trial(Map<String, String> values) {
  public Trial {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The overrides in {@code path=value} form, one per active parameter, ready for {@code --set}. */
  public List<String> overrides() {
    return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
