package dev.tessera.stages.sweep;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.artifact.Manifest;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.spec.Overrides;
import dev.tessera.pipelines.spec.SpecOverride;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.evaluate.EvaluateSpec;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.TrainSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs one job of a sweep: the wrapped train and evaluate stages with a trial's overrides, in the trial's folder
 * ({@code trial-<i>/train}, {@code train-work}, {@code evaluate}), logging into the trial's child run. A job at a
 * rung above 0 keeps {@code train-work}, so training continues from the checkpoint the rung below left there.
 * Safe to call from several threads at once for different trials.
 */
final class TrialRunner {
  /** One job: trial {@code index} with {@code trial}'s settings, trained to {@code epochs} (0: the spec's own). */
  record Job(int index, Trial trial, int rung, int epochs) {}

  private final StageContext sweep;
  private final Train train;
  private final Evaluate evaluate;
  private final String objective;
  private final Artifact dataset;
  private final Path root;

  TrialRunner(StageContext sweep, Train train, Evaluate evaluate, String objective, Artifact dataset, Path root) {
    this.sweep = sweep;
    this.train = train;
    this.evaluate = evaluate;
    this.objective = objective;
    this.dataset = dataset;
    this.root = root;
  }

  /** The folder of trial {@code index}. */
  Path trialDirectory(int index) {
    return root.resolve("trial-" + index);
  }

  /**
   * Runs {@code job}, logging into {@code run} (not ended here). A failing trial (an exception, a NaN objective)
   * comes back as a {@code FAILED} record; a mistake in the sweep itself (an objective the evaluate stage does not
   * report) and cancellation are thrown.
   */
  SweepRecord run(Job job, TrackedRun run) throws Exception {
    Path dir = trialDirectory(job.index());
    if (job.rung() == 0) {
      deleteTree(dir); // a job cut short by a crash starts again from nothing
    } else {
      deleteTree(dir.resolve("train"));
      deleteTree(dir.resolve("evaluate"));
    }
    run.setTags(Map.of("tessera.sweep.rung", Integer.toString(job.rung())));
    try {
      List<String> texts = new ArrayList<>(job.trial().overrides());
      if (job.epochs() > 0) {
        texts.add("train.epochs=" + job.epochs());
      }
      List<SpecOverride> overrides = SpecOverride.parseAll(texts);
      TrainSpec trainSpec = Overrides.apply(train.spec(), only(overrides, "train"));
      EvaluateSpec evaluateSpec = Overrides.apply(evaluate.spec(), only(overrides, "evaluate"));
      Path model = Files.createDirectories(dir.resolve("train"));
      StageResult trained = new Train(trainSpec).run(new TrialContext(sweep, "train",
          Map.of(ArtifactKind.DATASET, dataset), model, Files.createDirectories(dir.resolve("train-work")), run));
      Artifact modelArtifact = new Artifact("trial-" + job.index(), model, new Manifest(ArtifactKind.MODEL.id(), 1,
          Digests.ofTree(model, List.of()), sweep.runId(), sweep.stageName(), "", System.currentTimeMillis(),
          Map.of()));
      StageResult result = evaluate.withSpec(evaluateSpec).run(new TrialContext(sweep, "evaluate",
          Map.of(ArtifactKind.DATASET, dataset, ArtifactKind.MODEL, modelArtifact),
          Files.createDirectories(dir.resolve("evaluate")), Files.createDirectories(dir.resolve("evaluate-work")),
          run));
      Double value = objectiveOf(trained, result);
      if (Double.isNaN(value)) {
        run.setTags(Map.of("tessera.sweep.failure", "the objective " + objective + " was NaN"));
        return record(job, run, "FAILED", null, "objective was NaN", trainSpec.epochs());
      }
      long now = System.currentTimeMillis();
      run.logMetric("sweep/" + objective, value, trainSpec.epochs(), now);
      // The trial's evaluate figures on its child run, so trials compare side by side on them in MLflow too.
      result.summary().forEach((name, figure) -> run.logMetric("evaluate/" + name, figure, trainSpec.epochs(), now));
      return new SweepRecord(job.index(), job.trial().values(), "FINISHED", value, run.id(), null, job.rung(),
          trainSpec.epochs(), result.summary());
    } catch (InterruptedException | SweepMistake e) {
      throw e;
    } catch (Exception e) {
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      sweep.progress().log("trial " + job.index() + " " + job.trial().values() + " failed: " + error);
      run.setTags(Map.of("tessera.sweep.failure", error.length() > 4000 ? error.substring(0, 4000) : error));
      return record(job, run, "FAILED", null, error, job.epochs());
    }
  }

  /**
   * The trial's objective: {@code train.<figure>} is a figure of the train stage (such as {@code val_accuracy},
   * the validation accuracy of the epoch whose weights are the output), {@code evaluate.<figure>} or a bare name
   * one of the evaluate stage (such as {@code accuracy} on the test split).
   */
  private Double objectiveOf(StageResult trained, StageResult evaluated) {
    boolean fromTrain = SweepSpec.objectiveOfTrain(objective);
    String figure = SweepSpec.objectiveFigure(objective);
    Map<String, Double> summary = (fromTrain ? trained : evaluated).summary();
    Double value = summary.get(figure);
    if (value == null) {
      String stage = fromTrain ? "train" : "evaluate";
      throw new SweepMistake("sweep.objective '" + objective + "' is not a figure of the " + stage + " stage, which "
          + "reports " + summary.keySet() + "; set sweep.objective to one of them (a train figure as train.<name>"
          + (fromTrain && !summary.containsKey("val_accuracy") ? "; val_accuracy and val_loss need validation: set "
              + "train.validation.holdoutFraction or train.validation.split" : "") + ")");
    }
    return value;
  }

  private static SweepRecord record(Job job, TrackedRun run, String status, Double value, String error,
      int epochs) {
    return new SweepRecord(job.index(), job.trial().values(), status, value, run.id(), error, job.rung(), epochs);
  }

  private static List<SpecOverride> only(List<SpecOverride> overrides, String stage) {
    return overrides.stream().filter(o -> o.stage().equals(stage)).toList();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A mistake in the sweep's own settings, not in one trial: it ends the sweep. */
  static final class SweepMistake extends IllegalArgumentException {
    SweepMistake(String message) {
      super(message);
    }
  }
}
