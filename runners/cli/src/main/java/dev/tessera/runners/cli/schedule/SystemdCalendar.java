package dev.tessera.runners.cli.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a cron expression as a systemd {@code OnCalendar=} value in the schedule's zone.
 *
 * <p>The supported subset, per field: {@code *}, a number, {@code &#42;/n}, {@code a/n}, a range {@code a-b}, and
 * comma lists of numbers and ranges; days of week as numbers 0-7 (0 and 7 are Sunday). Not supported: names
 * ({@code MON}, {@code JAN}), steps over ranges ({@code 1-10/2}), and a day-of-month together with a day-of-week
 * (cron runs when either matches; {@code OnCalendar} only when both do). Anything else fails with a message naming
 * the field. Example: {@code "30 2 * * 1-5"} in Europe/Berlin becomes {@code Mon..Fri *-*-* 02:30:00 Europe/Berlin}.
 */
final class SystemdCalendar {
  private static final String[] DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final Pattern NUMBER = Pattern.compile("\\d{1,2}");
  private static final Pattern RANGE = Pattern.compile("\\d{1,2}-\\d{1,2}");
  private static final Pattern STEP = Pattern.compile("(\\*|\\d{1,2})/\\d{1,2}");

  private SystemdCalendar() {}

  /** The {@code OnCalendar=} value, or an IllegalArgumentException naming the unsupported field. */
  static String onCalendar(CronSchedule cron) {
    String[] f = cron.expression().strip().split("\\s+");
    int o = f.length == 6 ? 1 : 0;
    String second = o == 1 ? field(cron, "second", f[0], 0) : "00";
    String minute = field(cron, "minute", f[o], 0);
    String hour = field(cron, "hour", f[o + 1], 0);
    String dom = field(cron, "day-of-month", f[o + 2], 1);
    String month = field(cron, "month", f[o + 3], 1);
    String dow = f[o + 4];
    if (!"*".equals(dom) && !"*".equals(dow) && !"?".equals(dow)) {
      throw unsupported(cron, "day-of-month and day-of-week", f[o + 2] + " " + dow,
          "cron runs when either matches, OnCalendar only when both do");
    }
    String days = "*".equals(dow) || "?".equals(dow) ? "" : weekdays(cron, dow) + " ";
    return days + "*-" + month + "-" + dom + " " + hour + ":" + minute + ":" + second + " " + cron.zone().getId();
  }

  private static String field(CronSchedule cron, String name, String value, int first) {
    if ("*".equals(value) || "?".equals(value)) {
      return "*";
    }
    if (STEP.matcher(value).matches()) {
      String[] parts = value.split("/");
      return pad("*".equals(parts[0]) ? Integer.toString(first) : parts[0]) + "/" + parts[1];
    }
    List<String> out = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      if (NUMBER.matcher(item).matches()) {
        out.add(pad(item));
      } else if (RANGE.matcher(item).matches()) {
        String[] ends = item.split("-");
        out.add(pad(ends[0]) + ".." + pad(ends[1]));
      } else {
        throw unsupported(cron, name, value, "'" + item + "' is not a number or a range a-b");
      }
    }
    return String.join(",", out);
  }

  private static String weekdays(CronSchedule cron, String value) {
    List<String> out = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      String[] ends = item.split("-", -1);
      if (ends.length > 2 || !Arrays.stream(ends).allMatch(e -> e.matches("[0-7]"))) {
        throw unsupported(cron, "day-of-week", value, "'" + item + "' is not a day 0-7 or a range of them");
      }
      out.add(ends.length == 1 ? DAYS[Integer.parseInt(ends[0])]
          : DAYS[Integer.parseInt(ends[0])] + ".." + DAYS[Integer.parseInt(ends[1])]);
    }
    return String.join(",", out);
  }

  private static String pad(String number) {
    return number.length() == 1 ? "0" + number : number;
  }

  private static IllegalArgumentException unsupported(CronSchedule cron, String field, String value, String why) {
    return new IllegalArgumentException("cron '" + cron.expression() + "' cannot be written as a systemd "
        + "OnCalendar: " + field + " '" + value + "' is outside the supported subset (" + why + "). Supported per "
        + "field: *, n, */n, a/n, a-b and comma lists; days of week as numbers 0-7; not both a day-of-month and "
        + "a day-of-week. Use --format kubernetes, or a cron such as \"30 2 * * 1-5\".");
  }
}
