package dev.tessera.stages.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where each trial stopped ({@code -1}: it ran to the end), and the steps used versus running every trial fully. */
public record StoppingReport(Map<String, Integer> stoppedAtStep, int stepsUsed, int stepsWithoutStopping) {
  public StoppingReport {
    stoppedAtStep = Collections.unmodifiableMap(new LinkedHashMap<>(stoppedAtStep));
  }
}
