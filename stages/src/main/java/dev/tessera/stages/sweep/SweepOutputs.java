package dev.tessera.stages.sweep;

import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a finished sweep leaves: {@code trials.csv} (one row per trial, its last rung), the plots, the best
 * trial's model, the best settings on the parent run, and with halving {@code rungs.csv} and the epochs spent.
 */
final class SweepOutputs {
  private SweepOutputs() {}

  /**
   * The best trial: among each trial's last finished job, those at the highest rung any trial finished, the best
   * objective; the earliest on a tie. Without halving every job is at rung 0.
   */
  static Optional<SweepRecord> best(List<SweepRecord> records, Direction direction, int topRung) {
    int highest = -1;
    for (SweepRecord record : records) {
      if (record.finished() && record.rung() <= topRung) {
        highest = Math.max(highest, record.rung());
      }
    }
    SweepRecord best = null;
    for (SweepRecord record : records) {
      if (record.finished() && record.rung() == highest && (best == null
          || direction.better(record.value(), best.value()))) {
        best = record;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Each trial's last job (its highest rung), in trial order. */
  static List<SweepRecord> lastJobs(List<SweepRecord> records) {
    Map<Integer, SweepRecord> last = new java.util.TreeMap<>();
    for (SweepRecord record : records) {
      last.merge(record.index(), record, (a, b) -> b.rung() >= a.rung() ? b : a);
    }
    return new ArrayList<>(last.values());
  }

  static StageResult write(StageContext context, SweepSpec spec, List<SweepRecord> records, int topRung,
      Path trialsRoot) throws IOException {
    Direction direction = spec.directionValue();
    SweepRecord best = best(records, direction, topRung).orElse(null);
    Path out = context.outputDirectory();
    List<SweepRecord> trials = lastJobs(records);
    List<String> paths = SearchSpace.parse(spec.space()).names();
    StringBuilder csv = new StringBuilder("trial,run_id,status," + spec.objective() + ",rung,epochs");
    paths.forEach(p -> csv.append(',').append(p));
    csv.append('\n');
    for (SweepRecord record : trials) {
      String status = record.finished() && record.rung() < topRung ? "STOPPED" : record.status();
      csv.append(record.index()).append(',').append(record.runId()).append(',').append(status).append(',')
          .append(record.value() == null ? "" : record.value().toString()).append(',').append(record.rung())
          .append(',').append(record.epochs());
      paths.forEach(p -> csv.append(',').append(record.values().getOrDefault(p, "")));
      csv.append('\n');
    }
    Files.writeString(out.resolve("trials.csv"), csv);
    context.tracker().logArtifact(out.resolve("trials.csv"), "trials.csv");
    if (best == null) {
      throw new IllegalStateException("every one of the " + trials.size() + " trials of sweep '"
          + context.stageName() + "' failed; the first error: " + records.get(0).error() + " (trials.jsonl in "
          + trialsRoot + ")");
    }
    SweepPlot.savePng(trials, spec.objective(), direction, out.resolve("optimization_history.png"));
    context.tracker().logArtifact(out.resolve("optimization_history.png"), "optimization_history.png");
    charts(context, spec, records, out);
    copyTree(trialsRoot.resolve("trial-" + best.index()).resolve("train"), out.resolve("model"));
    Map<String, String> params = new LinkedHashMap<>();
    best.values().forEach((k, v) -> params.put("best." + k, v));
    context.tracker().logParams(params);
    context.tracker().setTags(Map.of("tessera.sweep.best_trial", best.runId()));
    context.tracker().logMetric("best_" + spec.objective(), best.value(), 0);
    long failed = trials.stream().filter(r -> !r.finished()).count();
    StageResult result = StageResult.of(trials.size());
    if (SweepSpec.objectiveOfTrain(spec.objective())) {
      // Chosen on another figure (the validation accuracy): the chosen trial's evaluate figures, such as its test
      // accuracy, are the honest estimate of how it does.
      for (Map.Entry<String, Double> figure : new TreeMap<>(best.evaluation()).entrySet()) {
        context.tracker().logMetric("best_evaluate." + figure.getKey(), figure.getValue(), 0);
        result = result.with("best_evaluate." + figure.getKey(), figure.getValue());
      }
    }
    result = result.with("best_" + spec.objective(), best.value())
        .with("best_trial", best.index())
        .with("failed_trials", failed)
        .with("epochs_trained", epochsTrained(records));
    if (spec.halving().enabled()) {
      HalvingReport report = halvingReport(spec, records);
      result = result.with("epochs_without_stopping", report.budgetWithoutStopping())
          .with("stopped_trials", trials.stream().filter(r -> r.finished() && r.rung() < topRung).count());
      writeRungs(context, report);
    }
    return result;
  }

  /**
   * The parallel-coordinates and importance charts over the finished trials' rung-0 values (with halving, every
   * trial has one, at the same epochs; without, rung 0 is the only one). Importance needs 3 such trials.
   */
  private static void charts(StageContext context, SweepSpec spec, List<SweepRecord> records, Path out)
      throws IOException {
    SearchSpace space = SearchSpace.parse(spec.space());
    List<Trial> trials = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (SweepRecord record : records) {
      if (record.finished() && record.rung() == 0) {
        trials.add(new Trial(record.values()));
        values.add(record.value());
      }
    }
    double[] objective = values.stream().mapToDouble(Double::doubleValue).toArray();
    String label = spec.objective() + (spec.halving().enabled() ? " after " + spec.halving().minEpochs()
        + " epoch(s)" : "");
    Path coordinates = out.resolve("parallel_coordinates.png");
    SweepCharts.parallelCoordinates(space, trials, objective, label, spec.directionValue(), coordinates);
    context.tracker().logArtifact(coordinates, coordinates.getFileName().toString());
    if (trials.size() < 3) {
      context.progress().log("parameter importance needs 3 finished trials, but " + trials.size() + " finished");
      return;
    }
    Map<String, Double> importance = ParameterImportance.of(space, trials, objective);
    context.progress().log("parameter importance (eta^2 of " + label + "): " + SweepCharts.describe(importance));
    Path chart = out.resolve("parameter_importance.png");
    SweepCharts.importance(importance, label, chart);
    context.tracker().logArtifact(chart, chart.getFileName().toString());
    importance.forEach((name, share) -> context.tracker().logMetric("importance/" + name, share, 0));
  }

  /** Epochs trained over all jobs: a promoted trial pays only the epochs above its rung below. */
  static double epochsTrained(List<SweepRecord> records) {
    Map<Integer, Integer> reached = new HashMap<>();
    double sum = 0;
    for (SweepRecord record : records.stream().sorted(java.util.Comparator.comparingInt(SweepRecord::rung))
        .toList()) {
      int before = reached.getOrDefault(record.index(), 0);
      if (record.finished()) {
        sum += Math.max(0, record.epochs() - before);
        reached.put(record.index(), Math.max(before, record.epochs()));
      }
    }
    return sum;
  }

  private static HalvingReport halvingReport(SweepSpec spec, List<SweepRecord> records) {
    List<RungResult> results = new ArrayList<>();
    Map<String, Integer> failed = new HashMap<>();
    for (SweepRecord record : records) {
      if (record.finished()) {
        results.add(new RungResult(Integer.toString(record.index()), record.rung(), record.value()));
      } else {
        failed.merge(Integer.toString(record.index()), record.rung(), Math::max);
      }
    }
    return SuccessiveHalving.asynchronous(spec.halving().settings(spec.directionValue())).report(results, failed);
  }

  private static void writeRungs(StageContext context, HalvingReport report) throws IOException {
    StringBuilder csv = new StringBuilder("rung,epochs,reported,promoted,stopped,epochs_trained\n");
    for (RungSummary rung : report.rungs()) {
      csv.append(String.format(Locale.ROOT, "%d,%.0f,%d,%d,%d,%.0f%n", rung.rung(), rung.budget(), rung.reported(),
          rung.promoted().size(), rung.stopped().size(), rung.budgetUsed()));
      context.progress().log(String.format(Locale.ROOT, "rung %d (%.0f epochs): %d trials, %d promoted, %d stopped",
          rung.rung(), rung.budget(), rung.reported(), rung.promoted().size(), rung.stopped().size()));
    }
    context.progress().log(String.format(Locale.ROOT, "successive halving trained %.0f epochs; every trial to the "
        + "top rung would have trained %.0f", report.budgetUsed(), report.budgetWithoutStopping()));
    Path file = context.outputDirectory().resolve("rungs.csv");
    Files.writeString(file, csv);
    context.tracker().logArtifact(file, "rungs.csv");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }
}
