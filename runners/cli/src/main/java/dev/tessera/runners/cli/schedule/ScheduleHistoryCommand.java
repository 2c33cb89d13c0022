package dev.tessera.runners.cli.schedule;

import dev.tessera.runners.cli.console.TextTable;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera schedule history <name>}: every firing, what became of it and why. */
@Command(name = "history", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Shows every firing of a schedule: scheduled time (in its zone), start, run id, outcome, why.",
        "",
        "Outcomes: ran, failed, skipped-overlap, missed-then-run, missed-skipped, skipped (its --when condition), "
            + "and, while in progress, running or queued.",
        "A run whose model registration/promotion met an MLflow outage is publication-pending until the scheduler "
            + "completes it ('tessera resume <run-id>', retried with back-off): then promoted, kept-champion or "
            + "registered, or publication-failed once it gives up."},
    footer = {"", "Example:", "  tessera schedule history nightly"})
final class ScheduleHistoryCommand implements Callable<Integer> {
  private final ScheduleStore store;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The schedule (see 'tessera schedule list').")
  String name;

  @Inject
  ScheduleHistoryCommand(ScheduleStore store) {
    this.store = store;
  }

  @Override
  public Integer call() {
    ScheduleSpec schedule = store.require(name);
    CronSchedule cron = schedule.schedule();
    TextTable table = new TextTable("SCHEDULED", "STARTED", "RUN", "OUTCOME", "WHY");
    for (FiringRecord r : store.firings(name)) {
      table.row(cron.local(r.scheduled()).toOffsetDateTime().toString(),
          r.startedAt() == null ? "-" : cron.local(Instant.parse(r.startedAt())).toOffsetDateTime().toString(),
          r.runId() == null ? "-" : r.runId(), r.outcome().label(), r.reason() == null ? "" : r.reason());
    }
    spec.commandLine().getOut().println(table.render());
    return 0;
  }
}
