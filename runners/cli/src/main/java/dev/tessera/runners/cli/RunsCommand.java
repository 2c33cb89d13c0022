package dev.tessera.runners.cli;

import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.runners.cli.console.Durations;
import dev.tessera.runners.cli.console.Numbers;
import dev.tessera.runners.cli.console.TextTable;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tessera runs [experiment]}. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {"Lists runs side by side, newest first.",
        "",
        "Shows status, start, duration, how many stages ran or came from the cache, the params that differ "
            + "between the listed runs, and each stage's summary metrics."},
    footer = {"", "Examples:", "  tessera runs", "  tessera runs mnist-lenet --limit 5"})
final class RunsCommand implements Callable<Integer> {
  private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss")
      .withZone(ZoneId.systemDefault());
  private static final int METRICS_PER_STAGE = 2;
  private final Workspace workspace;
  private final Experiments experiments;
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "EXPERIMENT",
      description = "Only runs of this experiment: a name, or the path of an experiment file.")
  String experiment;

  @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N runs (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--all-metrics",
      description = "Every summary figure of every stage (default: the first " + METRICS_PER_STAGE + " of each "
          + "stage, such as evaluate's headline).")
  boolean allMetrics;

  @Option(names = "--sweep", paramLabel = "RUN-ID",
      description = "The trials of that run's sweep stage as a table, best first (status, objective, settings, "
          + "child MLflow run).")
  String sweepRun;

  @Inject
  RunsCommand(Workspace workspace, Experiments experiments) {
    this.workspace = workspace;
    this.experiments = experiments;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (experiment != null && dev.tessera.pipelines.extension.ExperimentFile.isFile(experiment)) {
      experiment = experiments.load(experiment).definition().name();
    }
    if (sweepRun != null) {
      return printSweep(out);
    }
    List<RunRecord> runs = workspace.runs().list(experiment).stream().limit(Math.max(1, limit)).toList();
    if (runs.isEmpty()) {
      out.println("No runs" + (experiment == null ? "" : " of " + experiment) + " in " + workspace.home()
          + ". Start one with: ./tessera run " + (experiment == null ? "demo" : experiment));
      return Main.OK;
    }
    List<String> varying = varyingParams(runs);
    Set<String> metrics = new LinkedHashSet<>();
    for (RunRecord run : runs) {
      run.stages.forEach((stage, record) -> record.summary.keySet().stream()
          .limit(allMetrics ? Long.MAX_VALUE : METRICS_PER_STAGE).forEach(m -> metrics.add(stage + "/" + m)));
    }
    List<String> header = new ArrayList<>(List.of("RUN", "EXPERIMENT", "STATUS", "STARTED", "TIME", "RAN/CACHED"));
    header.addAll(varying);
    header.addAll(metrics);
    TextTable table = new TextTable(header.toArray(String[]::new));
    for (RunRecord run : runs) {
      List<String> row = new ArrayList<>();
      row.add(run.runId);
      row.add(run.experiment);
      row.add(run.status.name().toLowerCase(Locale.ROOT));
      row.add(START.format(Instant.ofEpochMilli(run.createdAtMillis)));
      row.add(Durations.format(run.durationMillis()));
      long ran = run.stages.values().stream().filter(r -> r.status == StageStatus.SUCCEEDED).count();
      long cached = run.stages.values().stream().filter(r -> r.status == StageStatus.CACHED).count();
      row.add(ran + "/" + cached);
      for (String param : varying) {
        row.add(run.params.getOrDefault(param, ""));
      }
      for (String metric : metrics) {
        int slash = metric.indexOf('/');
        StageRecord record = run.stages.get(metric.substring(0, slash));
        Double value = record == null ? null : record.summary.get(metric.substring(slash + 1));
        row.add(value == null ? "" : Numbers.format(value));
      }
      table.row(row.toArray(String[]::new));
    }
    out.print(table.render());
    out.flush();
    return Main.OK;
  }

  /** The trials of a run's sweep stage ({@code trials.csv} of its artifact), best objective first. */
  private int printSweep(PrintWriter out) {
    RunRecord run = workspace.runs().load(sweepRun).orElseThrow(() -> new UsageException("No run '" + sweepRun
        + "' in " + workspace.home() + ". Run 'tessera runs' to list the runs."));
    for (var stage : run.stages.entrySet()) {
      if (!"sweep".equals(stage.getValue().kind) || stage.getValue().cacheKey == null) {
        continue;
      }
      java.nio.file.Path csv = workspace.store().location(stage.getValue().cacheKey).resolve("trials.csv");
      if (!java.nio.file.Files.isRegularFile(csv)) {
        throw new UsageException("The sweep stage '" + stage.getKey() + "' of run " + sweepRun + " has no "
            + "trials.csv (it did not finish); 'tessera resume " + sweepRun + "' continues it.");
      }
      List<String[]> rows = new ArrayList<>();
      try {
        for (String line : java.nio.file.Files.readAllLines(csv)) {
          rows.add(line.split(",", -1));
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + csv, e);
      }
      String[] header = rows.remove(0);
      boolean maximize = !"minimize".equals(run.params.get(stage.getKey() + ".direction"));
      rows.sort(java.util.Comparator.comparing((String[] r) -> r[3].isEmpty())
          .thenComparing(r -> r[3].isEmpty() ? 0 : (maximize ? -1 : 1) * Double.parseDouble(r[3])));
      TextTable table = new TextTable(header);
      rows.forEach(table::row);
      out.println("Sweep '" + stage.getKey() + "' of run " + sweepRun + " (" + rows.size() + " trials, best first):");
      out.print(table.render());
      out.flush();
      return Main.OK;
    }
    throw new UsageException("Run " + sweepRun + " has no finished sweep stage. Its stages: "
        + run.stages.keySet() + ".");
  }

  /** Params whose value is not the same in every listed run. */
  private static List<String> varyingParams(List<RunRecord> runs) {
    Set<String> keys = new LinkedHashSet<>();
    runs.forEach(r -> keys.addAll(r.params.keySet()));
    List<String> varying = new ArrayList<>();
    for (String key : keys) {
      String first = runs.get(0).params.get(key);
      if (runs.stream().anyMatch(r -> !Objects.equals(first, r.params.get(key)))) {
        varying.add(key);
      }
    }
    return varying;
  }
}
