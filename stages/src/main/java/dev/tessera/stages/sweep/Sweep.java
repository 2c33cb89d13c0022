package dev.tessera.stages.sweep;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.artifact.Manifest;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Headline;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.spec.Overrides;
import dev.tessera.pipelines.spec.SpecOverride;
import dev.tessera.pipelines.spec.Specs;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.evaluate.EvaluateSpec;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.TrainSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A hyperparameter sweep as one stage: trains and evaluates the wrapped stages once per trial, with the trial's
 * overrides of their settings, and outputs the best trial's model. Upstream stages (ingest, preprocess) run once and
 * are shared by every trial through the DAG's cache.
 *
 * <pre>{@code
 * .stage("sweep", Sweep.of(Train.classifier(Models.lenet()).epochs(2), Evaluate.classification())
 *     .space("train.optimizer.learningRate=loguniform(1e-4,1e-2); train.batchSize=choice(64,128)")
 *     .tpe(20).maximize("accuracy"), after("preprocess"))
 * }</pre>
 *
 * <p>Each trial is a child run in MLflow ({@code mlflow.parentRunId}) with its overrides as params and its stages'
 * metrics ({@code train/loss}, {@code evaluate/accuracy}); a failed trial (an exception, or a NaN objective) is kept
 * as {@code FAILED} with its error and the sweep goes on unless every trial fails. The parent run gets the best
 * trial's settings ({@code sweep.best.<path>}), its objective, its child run id (tag
 * {@code tessera.sweep.best_trial}), {@code trials.csv} and an optimization-history plot. Trials are appended to
 * {@code trials.jsonl} in the work directory as they end, so {@code tessera resume} reruns only unfinished ones.
 * Trial {@code i} draws from a random generator seeded by (experiment seed, i), so a resumed sweep suggests what an
 * uninterrupted one would.
 */
public record Sweep(SweepSpec spec, Train train, Evaluate evaluate) implements Stage<SweepSpec> {

  /** A sweep over the settings of {@code train} and {@code evaluate}: random search, 10 trials, max accuracy. */
  public static Sweep of(Train train, Evaluate evaluate) {
    return new Sweep(new SweepSpec("train.optimizer.learningRate=loguniform(1e-4,1e-2)", 10, "random", "accuracy",
        "maximize", 3), train, evaluate);
  }

  /** A copy searching this space (see {@link SearchSpace#parse}). */
  public Sweep space(String text) {
    return new Sweep(new SweepSpec(text, spec.trials(), spec.strategy(), spec.objective(), spec.direction(),
        spec.gridPoints()), train, evaluate);
  }

  /** A copy running {@code trials} trials suggested by TPE. */
  public Sweep tpe(int trials) {
    return withSpec(spec.withStrategy("tpe").withTrials(trials));
  }

  /** A copy running {@code trials} random trials. */
  public Sweep random(int trials) {
    return withSpec(spec.withStrategy("random").withTrials(trials));
  }

  /** A copy walking a grid of {@code pointsPerRange} values per numeric range (every choice of a categorical). */
  public Sweep grid(int pointsPerRange) {
    return withSpec(new SweepSpec(spec.space(), 10_000, "grid", spec.objective(), spec.direction(),
        pointsPerRange));
  }

  /** A copy maximizing the evaluate stage's figure {@code metric}. */
  public Sweep maximize(String metric) {
    return withSpec(new SweepSpec(spec.space(), spec.trials(), spec.strategy(), metric, "maximize",
        spec.gridPoints()));
  }

  /** A copy minimizing the evaluate stage's figure {@code metric}. */
  public Sweep minimize(String metric) {
    return withSpec(new SweepSpec(spec.space(), spec.trials(), spec.strategy(), metric, "minimize",
        spec.gridPoints()));
  }

  @Override
  public Sweep withSpec(SweepSpec newSpec) {
    return new Sweep(newSpec, train, evaluate);
  }

  @Override
  public String kind() {
    return "sweep";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.MODEL;
  }

  @Override
  public boolean usesExperimentSeed() {
    return true;
  }

  /** The wrapped stages' registry entries; their settings are environment facts of the key (see below). */
  @Override
  public List<Class<?>> implementationClasses() {
    List<Class<?>> classes = new ArrayList<>(train.implementationClasses());
    classes.addAll(evaluate.implementationClasses());
    return classes;
  }

  /** The wrapped stages' environment and their full settings, so that a change to either reruns the sweep. */
  @Override
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>(train.environment());
    environment.put("train.spec", Specs.canonicalJson(train.spec()));
    environment.put("evaluate.spec", Specs.canonicalJson(evaluate.spec()));
    return environment;
  }

  @Override
  public Optional<Headline> headline() {
    return Optional.of(new Headline("best_" + spec.objective(), "Best trial's " + spec.objective().replace('_', ' '),
        true));
  }

  /** The settings a space may name, with their current values: {@code train.*} and {@code evaluate.*}. */
  public Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>(Specs.flatten("train", train.spec()));
    settings.putAll(Specs.flatten("evaluate", evaluate.spec()));
    return settings;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    SearchSpace space = SearchSpace.parse(spec.space());
    space.checkAgainst(settings());
    Direction direction = spec.directionValue();
    Strategy strategy = switch (spec.strategy()) {
      case "grid" -> new GridSearch(space, Map.of(), spec.gridPoints());
      case "tpe" -> new TpeSearch(space, direction);
      default -> new RandomSearch(space);
    };
    int trials = strategy instanceof GridSearch grid ? Math.min(spec.trials(), grid.points().size()) : spec.trials();
    Artifact dataset = context.input(ArtifactKind.DATASET);
    Path log = context.workDirectory().resolve("trials.jsonl");
    List<SweepRecord> records = SweepRecord.read(log);
    if (!records.isEmpty()) {
      context.progress().log("resuming the sweep: " + records.size() + " of " + trials + " trials already ended");
    }
    for (int i = records.size(); i < trials; i++) {
      context.checkCancelled();
      context.progress().update(i, trials, "trial " + (i + 1) + "/" + trials + best(records, direction)
          .map(r -> String.format(Locale.ROOT, ", best so far %.4f", r.value())).orElse(""));
      Trial trial = strategy instanceof GridSearch grid ? grid.points().get(i)
          : strategy.suggest(history(records), new Random(context.seed() * 1_000_003L + i));
      SweepRecord record = runTrial(context, dataset, i, trial);
      record.append(log);
      records.add(record);
    }
    return finish(context, records, trials, direction);
  }

  private SweepRecord runTrial(StageContext context, Artifact dataset, int index, Trial trial) throws Exception {
    Path dir = context.workDirectory().resolve("trial-" + index);
    deleteTree(dir); // a trial cut short by a crash starts again from nothing
    TrackedRun run = context.tracker().startTrial(context.stageName() + "-" + index, trial.values());
    try {
      List<SpecOverride> overrides = SpecOverride.parseAll(trial.overrides());
      TrainSpec trainSpec = Overrides.apply(train.spec(), only(overrides, "train"));
      EvaluateSpec evaluateSpec = Overrides.apply(evaluate.spec(), only(overrides, "evaluate"));
      Path model = Files.createDirectories(dir.resolve("train"));
      new Train(trainSpec).run(new TrialContext(context, "train", Map.of(ArtifactKind.DATASET, dataset), model,
          Files.createDirectories(dir.resolve("train-work")), run));
      Artifact modelArtifact = new Artifact("trial-" + index, model, new Manifest(ArtifactKind.MODEL.id(), 1,
          Digests.ofTree(model, List.of()), context.runId(), context.stageName(), "", System.currentTimeMillis(),
          Map.of()));
      StageResult result = new Evaluate(evaluateSpec).run(new TrialContext(context, "evaluate",
          Map.of(ArtifactKind.DATASET, dataset, ArtifactKind.MODEL, modelArtifact),
          Files.createDirectories(dir.resolve("evaluate")), Files.createDirectories(dir.resolve("evaluate-work")),
          run));
      Double value = result.summary().get(spec.objective());
      if (value == null) {
        throw new IllegalArgumentException("sweep.objective '" + spec.objective() + "' is not a figure of the "
            + "evaluate stage, which reports " + result.summary().keySet() + "; set sweep.objective to one of them");
      }
      if (Double.isNaN(value)) {
        run.setTags(Map.of("tessera.sweep.failure", "the objective " + spec.objective() + " was NaN"));
        run.end(RunStatus.FAILED);
        return new SweepRecord(index, trial.values(), "FAILED", null, run.id(), "objective was NaN");
      }
      run.end(RunStatus.FINISHED);
      return new SweepRecord(index, trial.values(), "FINISHED", value, run.id(), null);
    } catch (InterruptedException e) {
      run.end(RunStatus.KILLED);
      throw e;
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("sweep.objective")) {
        run.end(RunStatus.FAILED);
        throw e; // a mistake in the sweep itself, not in this trial
      }
      return failed(context, run, index, trial, e);
    } catch (Exception e) {
      return failed(context, run, index, trial, e);
    }
  }

  private static SweepRecord failed(StageContext context, TrackedRun run, int index, Trial trial, Exception e) {
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    context.progress().log("trial " + index + " " + trial.values() + " failed: " + error);
    run.setTags(Map.of("tessera.sweep.failure", error.length() > 4000 ? error.substring(0, 4000) : error));
    run.end(RunStatus.FAILED);
    return new SweepRecord(index, trial.values(), "FAILED", null, run.id(), error);
  }

  private StageResult finish(StageContext context, List<SweepRecord> records, int trials, Direction direction)
      throws IOException {
    SweepRecord best = best(records, direction).orElse(null);
    Path out = context.outputDirectory();
    StringBuilder csv = new StringBuilder("trial,run_id,status," + spec.objective());
    List<String> paths = SearchSpace.parse(spec.space()).names();
    paths.forEach(p -> csv.append(',').append(p));
    csv.append('\n');
    for (SweepRecord record : records) {
      csv.append(record.index()).append(',').append(record.runId()).append(',').append(record.status()).append(',')
          .append(record.value() == null ? "" : record.value().toString());
      paths.forEach(p -> csv.append(',').append(record.values().getOrDefault(p, "")));
      csv.append('\n');
    }
    Files.writeString(out.resolve("trials.csv"), csv);
    context.tracker().logArtifact(out.resolve("trials.csv"), "trials.csv");
    if (best == null) {
      throw new IllegalStateException("every one of the " + records.size() + " trials of sweep '"
          + context.stageName() + "' failed; the first error: " + records.get(0).error() + " (trials.csv in "
          + context.workDirectory() + ")");
    }
    SweepPlot.savePng(records, spec.objective(), direction, out.resolve("optimization_history.png"));
    context.tracker().logArtifact(out.resolve("optimization_history.png"), "optimization_history.png");
    Path bestModel = context.workDirectory().resolve("trial-" + best.index()).resolve("train");
    try (Stream<Path> files = Files.walk(bestModel)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = out.resolve("model").resolve(bestModel.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    best.values().forEach((k, v) -> params.put("best." + k, v));
    context.tracker().logParams(params);
    context.tracker().setTags(Map.of("tessera.sweep.best_trial", best.runId()));
    context.tracker().logMetric("best_" + spec.objective(), best.value(), 0);
    long failed = records.stream().filter(r -> !r.finished()).count();
    return StageResult.of(records.size())
        .with("best_" + spec.objective(), best.value())
        .with("best_trial", best.index())
        .with("failed_trials", failed);
  }

  private static List<FinishedTrial> history(List<SweepRecord> records) {
    List<FinishedTrial> history = new ArrayList<>();
    for (SweepRecord record : records) {
      if (record.finished()) {
        history.add(new FinishedTrial(new Trial(record.values()), record.value()));
      }
    }
    return history;
  }

  /** The finished trial with the best objective; the earliest one on a tie. */
  private static Optional<SweepRecord> best(List<SweepRecord> records, Direction direction) {
    SweepRecord best = null;
    for (SweepRecord record : records) {
      if (record.finished() && (best == null || direction.better(record.value(), best.value()))) {
        best = record;
      }
    }
    return Optional.ofNullable(best);
  }

  private static List<SpecOverride> only(List<SpecOverride> overrides, String stage) {
    return overrides.stream().filter(o -> o.stage().equals(stage)).toList();
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
