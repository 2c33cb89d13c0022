package dev.tessera.runners.cli.schedule;

import dev.tessera.pipelines.tracking.registry.GateSpec;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One schedule, as {@code tessera schedule add} stored it in {@code $TESSERA_HOME/schedules/<name>/schedule.json}.
 *
 * @param name the schedule's name (letters, digits, {@code . _ -})
 * @param experiment the experiment it runs
 * @param cron Unix cron, see {@link CronSchedule}
 * @param zone the zone the cron is read in
 * @param overrides {@code --set} overrides given to every run
 * @param runner the Beam runner ({@code --runner}), or null for the default
 * @param when the name of the condition checked before each firing ({@code always})
 * @param overlap what a firing does while the previous run still runs
 * @param missed what happens to firings no scheduler was running for
 * @param webhook where failures are POSTed, or null
 * @param paused true while paused: no firings are due, none are missed
 * @param activeSince firings after this instant (ISO-8601) count: creation, or the last resume
 * @param promoteIf the champion/challenger gate every run applies ({@code --promote-if}), or null for none
 */
public record ScheduleSpec(String name, String experiment, String cron, String zone, List<String> overrides,
    String runner, String when, OverlapPolicy overlap, MissedPolicy missed, String webhook, boolean paused,
    String activeSince, String promoteIf) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public ScheduleSpec {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("--name '" + name + "' is not a schedule name. Allowed: 1-64 letters, "
          + "digits, '.', '_' or '-', starting with a letter or digit. Example: --name nightly-mnist.");
    }
    CronSchedule.of(cron, zone);
    overrides = overrides == null ? List.of() : List.copyOf(overrides);
    when = when == null ? "always" : when;
    overlap = overlap == null ? OverlapPolicy.SKIP : overlap;
    missed = missed == null ? MissedPolicy.RUN_ONCE : missed;
    if (webhook != null) {
      URI uri;
      try {
        uri = URI.create(webhook);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException("--webhook '" + webhook + "' is not an http(s) URL with a host. "
            + "Example: --webhook https://hooks.example.com/tessera.");
      }
    }
    Instant.parse(activeSince);
    if (promoteIf != null) {
      GateSpec.parse(promoteIf);
    }
  }

  /** A schedule without a promotion gate. */
  public ScheduleSpec(String name, String experiment, String cron, String zone, List<String> overrides,
      String runner, String when, OverlapPolicy overlap, MissedPolicy missed, String webhook, boolean paused,
      String activeSince) {
    this(name, experiment, cron, zone, overrides, runner, when, overlap, missed, webhook, paused, activeSince, null);
  }

  /** The arguments of the {@code tessera} command that runs one firing: {@code run <experiment> --plain ...}. */
  public List<String> runArgs() {
    List<String> args = new ArrayList<>(List.of("run", experiment, "--plain"));
    overrides.forEach(o -> args.addAll(List.of("--set", o)));
    if (runner != null) {
      args.add("--runner=" + runner);
    }
    if (promoteIf != null) {
      args.addAll(List.of("--promote-if", promoteIf));
    }
    return args;
  }

  /** The parsed cron in its zone. */
  public CronSchedule schedule() {
    return CronSchedule.of(cron, zone);
  }

  /** The instant after which firings count. */
  public Instant since() {
    return Instant.parse(activeSince);
  }

  /** This schedule paused, or resumed from {@code now} on (firings while paused are not missed ones). */
  public ScheduleSpec withPaused(boolean pause, Instant now) {
    return new ScheduleSpec(name, experiment, cron, zone, overrides, runner, when, overlap, missed, webhook, pause,
        pause ? activeSince : now.toString(), promoteIf);
  }
}
