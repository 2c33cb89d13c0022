package dev.tessera.runners.cli.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * What became of one firing of a schedule; {@code running}, {@code queued} and {@code publication-pending} are
 * states a firing passes through. A run whose model registration/promotion met an MLflow outage is
 * {@code publication-pending} until the scheduler completes it ({@code promoted}, {@code kept-champion} or
 * {@code registered}) or gives up ({@code publication-failed}: {@code tessera resume <run-id>} still completes it).
 */
public enum FiringOutcome {
  RUNNING("running"),
  QUEUED("queued"),
  RAN("ran"),
  FAILED("failed"),
  SKIPPED_OVERLAP("skipped-overlap"),
  MISSED_THEN_RUN("missed-then-run"),
  MISSED_SKIPPED("missed-skipped"),
  /** The schedule's {@code --when} condition said no (the reason names why). */
  SKIPPED("skipped"),
  /** The run succeeded; its model's registration/promotion waits for the MLflow server. */
  PUBLICATION_PENDING("publication-pending"),
  /** The run's pending publication was completed, and its gate made the model the champion. */
  PROMOTED("promoted"),
  /** The run's pending publication was completed, and its gate kept the champion. */
  KEPT_CHAMPION("kept-champion"),
  /** The run's pending publication (a registration without a gate) was completed. */
  REGISTERED("registered"),
  /** The run succeeded, but its publication was still pending after the scheduler's last completion attempt. */
  PUBLICATION_FAILED("publication-failed");

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
    return this != RUNNING && this != QUEUED && this != PUBLICATION_PENDING;
  }

  /** True when the firing's run succeeded (whatever became of its model's publication). */
  public boolean runSucceeded() {
    return this == RAN || this == MISSED_THEN_RUN || this == PUBLICATION_PENDING || this == PROMOTED
        || this == KEPT_CHAMPION || this == REGISTERED || this == PUBLICATION_FAILED;
  }

  @JsonCreator
  static FiringOutcome parse(String label) {
    return Arrays.stream(values()).filter(o -> o.label.equals(label)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown firing outcome '" + label + "'"));
  }
}
