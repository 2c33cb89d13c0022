package dev.tessera.runners.cli.schedule;

import java.time.Instant;

/**
 * One firing of a schedule, as its history keeps it ({@code schedules/<name>/firings/<time>.json}).
 *
 * @param schedule the schedule's name
 * @param scheduledAt when the cron said it fires (ISO-8601 instant)
 * @param outcome what became of it
 * @param reason why, in words (also for the webhook)
 * @param startedAt when its run started (ISO-8601), or null
 * @param endedAt when it was settled (ISO-8601), or null
 * @param runId the Tessera run, once known
 * @param pid the process running it, 0 before launch
 * @param attempts launches so far (a resume after a crash is another)
 * @param missed true when no scheduler was running at the scheduled time
 * @param log the run's console output, or null
 */
public record FiringRecord(String schedule, String scheduledAt, FiringOutcome outcome, String reason,
    String startedAt, String endedAt, String runId, long pid, int attempts, boolean missed, String log) {

  /** A firing that was settled without a run. */
  static FiringRecord settled(String schedule, Instant scheduledAt, FiringOutcome outcome, String reason,
      Instant now, boolean missed) {
    return new FiringRecord(schedule, scheduledAt.toString(), outcome, reason, null, now.toString(), null, 0, 0,
        missed, null);
  }

  public Instant scheduled() {
    return Instant.parse(scheduledAt);
  }

  FiringRecord with(FiringOutcome newOutcome, String newReason) {
    return new FiringRecord(schedule, scheduledAt, newOutcome, newReason, startedAt,
        newOutcome.done() ? endedAt : null, runId, pid, attempts, missed, log);
  }

  FiringRecord ended(FiringOutcome newOutcome, String newReason, Instant now) {
    return new FiringRecord(schedule, scheduledAt, newOutcome, newReason, startedAt, now.toString(), runId, pid,
        attempts, missed, log);
  }

  /** About to launch (recorded before the process starts, so a crash in between is not a lost launch). */
  FiringRecord launching(String newRunId, String newLog, Instant now) {
    return new FiringRecord(schedule, scheduledAt, FiringOutcome.RUNNING, reason,
        startedAt == null ? now.toString() : startedAt, null, newRunId, 0, attempts + 1, missed, newLog);
  }

  FiringRecord launched(long newPid) {
    return new FiringRecord(schedule, scheduledAt, outcome, reason, startedAt, endedAt, runId, newPid, attempts,
        missed, log);
  }

  FiringRecord withRunId(String newRunId) {
    return new FiringRecord(schedule, scheduledAt, outcome, reason, startedAt, endedAt, newRunId, pid, attempts,
        missed, log);
  }
}
