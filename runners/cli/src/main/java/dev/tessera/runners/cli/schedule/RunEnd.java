package dev.tessera.runners.cli.schedule;

import java.util.Optional;

/**
 * How a launched run ended.
 *
 * @param kind succeeded, failed, interrupted (its process died before the run finished: resumable), or succeeded
 *     with its model's registration/promotion left pending because the MLflow server was away
 * @param detail in words, for the history (exit code, run status, where the log is)
 * @param gate what the run's promotion gate decided, when it had one and got that far
 */
public record RunEnd(Kind kind, String detail, Optional<GateOutcome> gate) {
  /**
   * The ways a run's process can end, as far as the scheduler is concerned. {@code PUBLICATION_PENDING}: the run
   * succeeded, but its {@code publication-pending.json} says its registration/promotion still waits for the MLflow
   * server ({@code tessera resume <run-id>} completes it).
   */
  public enum Kind { SUCCEEDED, FAILED, INTERRUPTED, PUBLICATION_PENDING }

  /** An end without a gate decision. */
  public RunEnd(Kind kind, String detail) {
    this(kind, detail, Optional.empty());
  }
}
