package dev.tessera.runners.cli.schedule;

/**
 * How a launched run ended.
 *
 * @param kind succeeded, failed, or interrupted (its process died before the run finished: resumable)
 * @param detail in words, for the history (exit code, run status, where the log is)
 */
public record RunEnd(Kind kind, String detail) {
  /** The three ways a run's process can end, as far as the scheduler is concerned. */
  public enum Kind { SUCCEEDED, FAILED, INTERRUPTED }
}
