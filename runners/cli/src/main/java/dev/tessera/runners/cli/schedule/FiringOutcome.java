package dev.tessera.runners.cli.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What became of one firing of a schedule; the first two are states a firing passes through. */
public enum FiringOutcome {
  RUNNING("running"),
  QUEUED("queued"),
  RAN("ran"),
  FAILED("failed"),
  SKIPPED_OVERLAP("skipped-overlap"),
  MISSED_THEN_RUN("missed-then-run"),
  MISSED_SKIPPED("missed-skipped"),
  /** The schedule's {@code --when} condition said no (the reason names why). */
  SKIPPED("skipped");

  private final String label;

  FiringOutcome(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /** True once nothing more will happen to the firing. */
  public boolean done() {
    return this != RUNNING && this != QUEUED;
  }

  @JsonCreator
  static FiringOutcome parse(String label) {
    return Arrays.stream(values()).filter(o -> o.label.equals(label)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown firing outcome '" + label + "'"));
  }
}
