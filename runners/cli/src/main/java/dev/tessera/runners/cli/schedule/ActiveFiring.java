package dev.tessera.runners.cli.schedule;

/**
 * A firing one scheduler process holds: its claim, its record as last saved, and (while one goes on) the process
 * of its run or of the completion of its pending publication. Shared by {@link Scheduler} and
 * {@link PublicationCompleter}, under the scheduler's lock only.
 */
final class ActiveFiring {
  final ScheduleSpec schedule;
  final FiringClaim claim;
  FiringRecord record;
  LaunchedRun run;

  ActiveFiring(ScheduleSpec schedule, FiringClaim claim, FiringRecord record) {
    this.schedule = schedule;
    this.claim = claim;
    this.record = record;
  }

  /** The firing's key among the ones held: {@code <schedule>@<scheduled instant>}. */
  String key() {
    return record.schedule() + "@" + record.scheduledAt();
  }

  /** The scheduled time in the schedule's zone (ISO-8601 with offset), as webhook events carry it. */
  String localTime() {
    return schedule.schedule().local(record.scheduled()).toOffsetDateTime().toString();
  }
}
