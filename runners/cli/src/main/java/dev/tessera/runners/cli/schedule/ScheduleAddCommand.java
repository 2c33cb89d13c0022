package dev.tessera.runners.cli.schedule;

import dev.tessera.runners.cli.Experiments;
import dev.tessera.runners.cli.UsageException;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tessera schedule add <experiment> --cron ... --zone ...}. */
@Command(name = "add", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {"Adds a schedule that runs an experiment on a cron, in a time zone.",
        "",
        "The cron is Unix cron, 5 fields: minute hour day-of-month month day-of-week (0-59 0-23 1-31 1-12 0-7, "
            + "with * , - /). Six fields add a leading seconds field (an extension, for trying things out).",
        "",
        "Daylight-saving time follows the wall clock: each matching local time fires once. A time skipped when "
            + "clocks spring forward (02:30 on that night in Europe/Berlin) fires once at the first valid instant "
            + "(03:00); a time that occurs twice when clocks fall back fires once, at its first occurrence.",
        "",
        "Firings while the previous run still runs are skipped or queued (--overlap). Firings no scheduler was "
            + "running for are recorded as missed; the latest of them runs once when a scheduler starts, unless "
            + "--missed skip."},
    footer = {"", "Examples:",
        "  tessera schedule add mnist-lenet --cron \"0 2 * * *\" --zone Europe/Berlin --name nightly",
        "  tessera schedule add demo --cron \"*/10 * * * *\" --zone UTC --set seed=7 --overlap queue",
        "  tessera schedule add mnist-lenet --cron \"0 2 * * *\" --zone Europe/Berlin --when data-changed "
            + "--promote-if evaluate/accuracy:max:0.001",
        "  tessera schedule add mnist-lenet --cron \"30 2 * * 1-5\" --zone America/New_York "
            + "--webhook https://hooks.example.com/tessera"})
final class ScheduleAddCommand implements Callable<Integer> {
  private static final List<String> RUNNERS = List.of("DirectRunner", "FlinkRunner", "SparkRunner");
  private final ScheduleStore store;
  private final Experiments experiments;
  private final Clock clock;
  private final Map<String, FiringCondition> conditions;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "Experiment to run (see 'tessera list').")
  String experiment;

  @Option(names = "--cron", required = true, paramLabel = "EXPR", description = "When, e.g. \"0 2 * * *\".")
  String cron;

  @Option(names = "--zone", paramLabel = "ZONE",
      description = "Time zone the cron is read in, e.g. Europe/Berlin (default: this machine's, ${DEFAULT-VALUE}).")
  String zone = ZoneId.systemDefault().getId();

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override for every run. Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--runner", paramLabel = "RUNNER",
      description = "Beam runner for the data stages: DirectRunner (default), FlinkRunner, SparkRunner.")
  String runner;

  @Option(names = "--when", defaultValue = FiringCondition.ALWAYS, paramLabel = "CONDITION",
      description = "Condition checked at each firing: always, or data-changed (run only when the experiment's "
          + "local dataset folders differ from what the last successful run read) (default: ${DEFAULT-VALUE}).")
  String when;

  @Option(names = "--name", paramLabel = "NAME", description = "Schedule name (default: the experiment's).")
  String name;

  @Option(names = "--overlap", defaultValue = "skip", paramLabel = "skip|queue",
      description = "A firing while the previous run still runs: skip it or queue it (default: ${DEFAULT-VALUE}).")
  String overlap;

  @Option(names = "--missed", defaultValue = "run-once", paramLabel = "run-once|skip",
      description = "Firings missed while no scheduler ran: run the latest once, or skip all "
          + "(default: ${DEFAULT-VALUE}).")
  String missed;

  @Option(names = "--webhook", paramLabel = "URL",
      description = "POST a JSON event here when a firing fails (in the background, retried with backoff).")
  String webhook;

  @Option(names = "--promote-if", paramLabel = "METRIC[:max|min[:MIN_GAIN]]",
      description = "Each run registers its model and makes it the champion only if METRIC beats the champion's "
          + "(see 'tessera run --help'), e.g. evaluate/accuracy:max:0.001.")
  String promoteIf;

  @Inject
  ScheduleAddCommand(ScheduleStore store, Experiments experiments, Clock clock,
      Map<String, FiringCondition> conditions) {
    this.store = store;
    this.experiments = experiments;
    this.clock = clock;
    this.conditions = conditions;
  }

  @Override
  public Integer call() {
    if (dev.tessera.pipelines.extension.ExperimentFile.isFile(experiment)) {
      // An experiment file: the scheduler's runs compile it from its absolute path, wherever they start.
      experiment = java.nio.file.Path.of(experiment).toAbsolutePath().normalize().toString();
    } else if (experiments.registered().find(experiment).isEmpty()) {
      throw new UsageException("Unknown experiment '" + experiment + "'. Allowed: " + experiments.registered().names()
          + " (see 'tessera list'). Example: tessera schedule add demo --cron \"0 2 * * *\" --zone Europe/Berlin.");
    }
    dev.tessera.runners.cli.RunPublication.check(experiments.resolve(experiment, overrides), false, promoteIf);
    if (runner != null && !RUNNERS.contains(runner)) {
      throw new UsageException("--runner '" + runner + "' is not a runner. Allowed: " + RUNNERS
          + ". Example: --runner FlinkRunner.");
    }
    if (!conditions.containsKey(when)) {
      throw new UsageException("--when '" + when + "' is not a condition. Allowed: " + conditions.keySet()
          + ". Example: --when always.");
    }
    ScheduleSpec schedule;
    try {
      schedule = new ScheduleSpec(name == null ? experiment : name, experiment, cron, zone, overrides, runner, when,
          OverlapPolicy.parse(overlap), MissedPolicy.parse(missed), webhook, false, clock.instant().toString(),
          promoteIf);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (store.load(schedule.name()).isPresent()) {
      throw new UsageException("Schedule '" + schedule.name() + "' exists already. Pick another --name, or "
          + "remove it first: tessera schedule remove " + schedule.name() + ".");
    }
    store.save(schedule);
    CronSchedule parsed = schedule.schedule();
    spec.commandLine().getOut().println("Added schedule " + schedule.name() + ": " + experiment + " at '" + cron
        + "' in " + parsed.zone() + "; next firing " + parsed.local(parsed.next(clock.instant()))
        .toOffsetDateTime() + ". Start 'tessera scheduler' to run it.");
    return 0;
  }
}
