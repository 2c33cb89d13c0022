package dev.tessera.runners.cli.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;

/**
 * A cron expression in a time zone, and the instants it fires at.
 *
 * <p>Expressions are Unix cron (five fields: minute hour day-of-month month day-of-week, parsed by cron-utils).
 * As an extension, six fields mean a leading seconds field ({@code "*&#47;5 * * * * *"}: every five seconds;
 * cron-utils' Spring syntax), useful for trying a schedule out; Kubernetes cannot export those.
 *
 * <p>Daylight-saving time follows the wall clock, like Vixie cron: every local time the expression matches fires
 * once. A local time that does not exist (skipped when clocks spring forward, such as 02:30 on the last Sunday of
 * March in Europe/Berlin) fires once at the first valid instant after it, the moment clocks jump (03:00). A local
 * time that occurs twice (when clocks fall back) fires once, at its first occurrence (02:30 summer time). So a
 * job every 15 minutes has no firings in the repeated hour's second pass.
 */
public final class CronSchedule {
  /** Shown in every error about an expression. */
  static final String ALLOWED = "Allowed: Unix cron, 5 fields 'minute hour day-of-month month day-of-week' "
      + "(0-59 0-23 1-31 1-12 0-7, with * , - /), or 6 fields with a leading seconds field. "
      + "Example: --cron \"0 2 * * *\" (02:00 every day).";
  private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SECONDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
  private static final int MAX_CANDIDATES = 100_000;

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime execution;

  private CronSchedule(String expression, ZoneId zone, Cron cron) {
    this.expression = expression;
    this.zone = zone;
    this.execution = ExecutionTime.forCron(cron);
  }

  /**
   * Parses an expression and a zone ID.
   *
   * <p>Example: {@code CronSchedule.of("30 2 * * *", "Europe/Berlin").next(Instant.now())}.
   *
   * @throws IllegalArgumentException naming the value, what is allowed and an example
   */
  public static CronSchedule of(String expression, String zone) {
    return new CronSchedule(expression, zone(zone), parse(expression));
  }

  /** Parses a zone ID, or explains what is allowed. */
  static ZoneId zone(String zone) {
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException | NullPointerException e) {
      throw new IllegalArgumentException("--zone '" + zone + "' is not a time zone ID (" + e.getMessage()
          + "). Allowed: a region ID from the IANA database such as Europe/Berlin, America/New_York or UTC. "
          + "Example: --zone Europe/Berlin.");
    }
  }

  private static Cron parse(String expression) {
    String trimmed = expression == null ? "" : expression.strip();
    int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    if (fields != 5 && fields != 6) {
      throw new IllegalArgumentException("--cron '" + expression + "' has " + fields + " fields. " + ALLOWED);
    }
    try {
      return (fields == 5 ? UNIX : SECONDS).parse(trimmed).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--cron '" + expression + "' is not valid: " + e.getMessage() + ". "
          + ALLOWED, e);
    }
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** True when the expression has the seconds field (an extension of Unix cron). */
  public boolean hasSeconds() {
    return expression.strip().split("\\s+").length == 6;
  }

  /** The first firing strictly after {@code after}. */
  public Instant next(Instant after) {
    // cron-utils walks the wall clock in UTC (no DST there); java.time maps each wall time to an instant.
    LocalDateTime wall = LocalDateTime.ofInstant(after, zone);
    for (int i = 0; i < MAX_CANDIDATES; i++) {
      ZonedDateTime candidate = execution.nextExecution(wall.atZone(ZoneOffset.UTC)).orElseThrow(
          () -> new IllegalStateException("cron '" + expression + "' never fires after " + after));
      wall = candidate.toLocalDateTime();
      Instant instant = instantOf(wall);
      if (instant.isAfter(after)) {
        return instant;
      }
    }
    throw new IllegalStateException("cron '" + expression + "' found no firing after " + after + " in "
        + MAX_CANDIDATES + " candidates");
  }

  /** The firings in {@code (after, until]}, oldest first, at most {@code limit} of the newest. */
  public List<Instant> between(Instant after, Instant until, int limit) {
    List<Instant> out = new ArrayList<>();
    for (Instant t = next(after); !t.isAfter(until); t = next(t)) {
      out.add(t);
      if (out.size() > limit) {
        out.remove(0);
      }
    }
    return out;
  }

  /** The local wall time of an instant, for logs and history. */
  public ZonedDateTime local(Instant instant) {
    return instant.atZone(zone);
  }

  private Instant instantOf(LocalDateTime wall) {
    ZoneRules rules = zone.getRules();
    List<ZoneOffset> offsets = rules.getValidOffsets(wall);
    if (offsets.isEmpty()) {
      return rules.getTransition(wall).getInstant();
    }
    return wall.toInstant(offsets.get(0));
  }
}
