package dev.tessera.runners.cli.schedule;

import java.time.Instant;
import java.util.Optional;

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
 * @param publications launches of {@code tessera resume <run-id>} so far that completed (or tried to complete) the
 *     run's pending publication
 * @param retryAt while {@code publication-pending} and no completion runs: when the next one starts (ISO-8601);
 *     otherwise null
 * @param launchedAt when its latest process (the run, a resume after a crash, or a completion of the pending
 *     publication) was about to start (ISO-8601), or null in records written before it was kept: a scheduler that
 *     takes the firing over gives a process that young time to show up before it decides that none runs
 */
public record FiringRecord(String schedule, String scheduledAt, FiringOutcome outcome, String reason,
    String startedAt, String endedAt, String runId, long pid, int attempts, boolean missed, String log,
    int publications, String retryAt, String launchedAt) {

  /** A firing whose run's publication was never pending. */
  public FiringRecord(String schedule, String scheduledAt, FiringOutcome outcome, String reason, String startedAt,
      String endedAt, String runId, long pid, int attempts, boolean missed, String log) {
    this(schedule, scheduledAt, outcome, reason, startedAt, endedAt, runId, pid, attempts, missed, log, 0, null,
        null);
  }

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
        newOutcome.done() ? endedAt : null, runId, pid, attempts, missed, log, publications, retryAt, launchedAt);
  }

  FiringRecord ended(FiringOutcome newOutcome, String newReason, Instant now) {
    return new FiringRecord(schedule, scheduledAt, newOutcome, newReason, startedAt, now.toString(), runId, pid,
        attempts, missed, log, publications, null, launchedAt);
  }

  /** About to launch (recorded before the process starts, so a crash in between is not a lost launch). */
  FiringRecord launching(String newRunId, String newLog, Instant now) {
    return new FiringRecord(schedule, scheduledAt, FiringOutcome.RUNNING, reason,
        startedAt == null ? now.toString() : startedAt, null, newRunId, 0, attempts + 1, missed, newLog,
        publications, null, now.toString());
  }

  FiringRecord launched(long newPid) {
    return new FiringRecord(schedule, scheduledAt, outcome, reason, startedAt, endedAt, runId, newPid, attempts,
        missed, log, publications, retryAt, launchedAt);
  }

  FiringRecord withRunId(String newRunId) {
    return new FiringRecord(schedule, scheduledAt, outcome, reason, startedAt, endedAt, newRunId, pid, attempts,
        missed, log, publications, retryAt, launchedAt);
  }

  /** The run succeeded with its publication pending; the next completion starts at {@code next}. */
  FiringRecord publicationPending(String newReason, Instant next) {
    return new FiringRecord(schedule, scheduledAt, FiringOutcome.PUBLICATION_PENDING, newReason, startedAt, null,
        runId, pid, attempts, missed, log, publications, next.toString(), launchedAt);
  }

  /** About to launch a completion of the pending publication (recorded before the process starts). */
  FiringRecord publishing(Instant now) {
    return new FiringRecord(schedule, scheduledAt, FiringOutcome.PUBLICATION_PENDING, reason, startedAt, null,
        runId, 0, attempts, missed, log, publications + 1, null, now.toString());
  }

  /** When its latest process was about to start: {@code launchedAt}, or the run's start in older records. */
  Optional<Instant> lastLaunch() {
    return Optional.ofNullable(launchedAt != null ? launchedAt : startedAt).map(Instant::parse);
  }

  /** When the next completion of a pending publication starts, if one waits. */
  public Optional<Instant> retryTime() {
    return Optional.ofNullable(retryAt).map(Instant::parse);
  }
}
