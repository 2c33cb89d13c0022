package dev.tessera.runners.cli.schedule;

import dev.tessera.runners.cli.UsageException;
import dev.tessera.runners.cli.console.TextTable;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera schedule ...}: add, list, pause, resume, remove, history and export schedules. */
@Command(name = "schedule", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Manages schedules that run experiments on a cron, in a time zone (nightly retraining).",
        "",
        "Schedules live in $TESSERA_HOME/schedules/. 'tessera scheduler' runs them."},
    subcommands = {ScheduleAddCommand.class, ScheduleHistoryCommand.class, ScheduleExportCommand.class},
    footer = {"", "Examples:",
        "  tessera schedule add mnist-lenet --cron \"0 2 * * *\" --zone Europe/Berlin --name nightly",
        "  tessera schedule list", "  tessera schedule history nightly", "  tessera schedule pause nightly",
        "  tessera schedule export nightly --format kubernetes"})
public final class ScheduleCommand implements Runnable {
  private final ScheduleStore store;
  private final Clock clock;
  @Spec CommandSpec spec;

  @Inject
  ScheduleCommand(ScheduleStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists schedules: cron, zone, next firing in that zone, and the last firing's outcome.")
  int list() {
    Instant now = clock.instant();
    List<ScheduleSpec> schedules = store.list();
    if (schedules.isEmpty()) {
      spec.commandLine().getOut().println("No schedules in " + store.root()
          + ". Add one: tessera schedule add demo --cron \"0 2 * * *\" --zone Europe/Berlin");
      return 0;
    }
    TextTable table = new TextTable("NAME", "EXPERIMENT", "CRON", "ZONE", "NEXT", "LAST");
    for (ScheduleSpec s : schedules) {
      String next = s.paused() ? "paused" : s.schedule().local(s.schedule().next(now)).toOffsetDateTime()
          .toString();
      List<FiringRecord> firings = store.firings(s.name());
      String last = firings.isEmpty() ? "-" : firings.get(firings.size() - 1).outcome().label() + " ("
          + s.schedule().local(firings.get(firings.size() - 1).scheduled()).toOffsetDateTime() + ")";
      table.row(s.name(), s.experiment(), s.cron(), s.zone(), next, last);
    }
    spec.commandLine().getOut().println(table.render());
    return 0;
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Removes a schedule and its history (runs it started stay in 'tessera runs').")
  int remove(@Parameters(paramLabel = "NAME") String name) {
    store.require(name);
    store.remove(name);
    spec.commandLine().getOut().println("Removed schedule " + name + ".");
    return 0;
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Pauses a schedule: no firings until resumed, and none counted as missed.")
  int pause(@Parameters(paramLabel = "NAME") String name) {
    return setPaused(name, true);
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Resumes a paused schedule from now on (firings while paused do not run).")
  int resume(@Parameters(paramLabel = "NAME") String name) {
    return setPaused(name, false);
  }

  private int setPaused(String name, boolean pause) {
    ScheduleSpec schedule = store.require(name);
    if (schedule.paused() == pause) {
      throw new UsageException("Schedule " + name + " is already " + (pause ? "paused" : "active") + ".");
    }
    store.save(schedule.withPaused(pause, clock.instant()));
    spec.commandLine().getOut().println((pause ? "Paused " : "Resumed ") + name + ".");
    return 0;
  }
}
