package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Next-fire times across daylight-saving changes, and the errors for bad expressions and zones. */
class CronScheduleTest {
  /** The firings of a daily 02:30 job from noon before {@code night} to noon after, as local times. */
  private static List<String> firingsAround(String zone, LocalDate night) {
    return firingsAround("30 2 * * *", zone, night);
  }

  private static List<String> firingsAround(String expression, String zone, LocalDate night) {
    CronSchedule cron = CronSchedule.of(expression, zone);
    ZoneId id = ZoneId.of(zone);
    Instant from = night.minusDays(1).atTime(12, 0).atZone(id).toInstant();
    Instant to = night.plusDays(1).atTime(12, 0).atZone(id).toInstant();
    return cron.between(from, to, 100).stream().map(t -> cron.local(t).toOffsetDateTime().toString()).toList();
  }

  @Test
  void springForwardNightRunsOnceAtTheFirstValidInstantInBerlin() {
    // 2026-03-29: clocks jump from 02:00 to 03:00; 02:30 does not exist.
    assertEquals(List.of("2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00"),
        firingsAround("Europe/Berlin", LocalDate.of(2026, 3, 29)));
  }

  @Test
  void fallBackNightRunsOnceAtTheFirstOccurrenceInBerlin() {
    // 2026-10-25: clocks go back from 03:00 to 02:00; 02:30 happens twice.
    assertEquals(List.of("2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"),
        firingsAround("Europe/Berlin", LocalDate.of(2026, 10, 25)));
  }

  @Test
  void springForwardNightRunsOnceAtTheFirstValidInstantInNewYork() {
    assertEquals(List.of("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00"),
        firingsAround("America/New_York", LocalDate.of(2026, 3, 8)));
  }

  @Test
  void fallBackNightRunsOnceAtTheFirstOccurrenceInNewYork() {
    // 2026-11-01: New York repeats 01:00-02:00, so this is a 01:30 job.
    assertEquals(List.of("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
        firingsAround("30 1 * * *", "America/New_York", LocalDate.of(2026, 11, 1)));
  }

  @Test
  void nextIsStrictlyAfterEvenInTheRepeatedHour() {
    CronSchedule cron = CronSchedule.of("30 2 * * *", "Europe/Berlin");
    // 02:40 winter time, the second pass of the repeated hour: the 02:30 firing of that night already happened.
    Instant secondPass = ZonedDateTime.parse("2026-10-25T02:40+01:00[Europe/Berlin]").toInstant();
    assertEquals("2026-10-26T02:30+01:00", cron.local(cron.next(secondPass)).toOffsetDateTime().toString());
  }

  @Test
  void secondsFieldIsAnExtension() {
    CronSchedule cron = CronSchedule.of("*/5 * * * * *", "UTC");
    assertTrue(cron.hasSeconds());
    assertEquals(Instant.parse("2026-01-01T00:00:05Z"), cron.next(Instant.parse("2026-01-01T00:00:01Z")));
  }

  @Test
  void rejectsBadExpressionNamingValueAllowedAndExample() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.of("0 25 * * *", "UTC"));
    assertTrue(e.getMessage().startsWith("--cron '0 25 * * *' is not valid: "), e.getMessage());
    assertTrue(e.getMessage().contains("Example: --cron \"0 2 * * *\""), e.getMessage());
    IllegalArgumentException fields = assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.of("0 2 * *", "UTC"));
    assertTrue(fields.getMessage().startsWith("--cron '0 2 * *' has 4 fields."), fields.getMessage());
  }

  @Test
  void rejectsUnknownZone() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CronSchedule.of("0 2 * * *", "Europe/Berlinn"));
    assertTrue(e.getMessage().startsWith("--zone 'Europe/Berlinn' is not a time zone ID"), e.getMessage());
    assertTrue(e.getMessage().contains("Example: --zone Europe/Berlin."), e.getMessage());
  }
}
