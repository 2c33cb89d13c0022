package dev.tessera.runners.cli.schedule;

import java.util.Optional;

/**
 * How a launched run ended.
 *
 * @param kind succeeded, failed, or interrupted (its process died before the run finished: resumable)
 * @param detail in words, for the history (exit code, run status, where the log is)
 * @param gate what the run's promotion gate decided, when it had one and got that far
 */
public record RunEnd(Kind kind, String detail, Optional<GateOutcome> gate) {
  /** The three ways a run's process can end, as far as the scheduler is concerned. */
  public enum Kind { SUCCEEDED, FAILED, INTERRUPTED }

  /** An end without a gate decision. */
  public RunEnd(Kind kind, String detail) {
    this(kind, detail, Optional.empty());
  }
}
