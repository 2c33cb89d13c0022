package dev.tessera.experiments.demo;

import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.spec.Specs;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal sweep: fits {@code y = w * x} (x from the first input, y from the second, both scaled to [0, 1]) once
 * per learning rate. Each trial is a child run nested under the run ({@code mlflow.parentRunId}) with its own
 * params and {@code loss} history; the run itself carries the best trial's values: param
 * {@code <stage>.best.learningRate}, metrics {@code <stage>/best_loss} and {@code <stage>/best_weight}, and tag
 * {@code tessera.sweep.best_trial} (the child run's id). Writes {@code trials.csv}.
 *
 * <pre>{@code
 * .stage("fit", FitSweep.overLearningRates(new LineFitSpec(0.1, 50), 0.05, 0.5, 1.5), after("numbers", "squares"))
 * }</pre>
 */
public record FitSweep(FitSweepSpec spec) implements Stage<FitSweepSpec> {

  /** One trial per learning rate, each {@code trial.withLearningRate(rate)}. */
  public static FitSweep overLearningRates(LineFitSpec trial, double... learningRates) {
    return new FitSweep(new FitSweepSpec(trial, java.util.Arrays.stream(learningRates).boxed().toList()));
  }

  @Override
  public Stage<FitSweepSpec> withSpec(FitSweepSpec newSpec) {
    return new FitSweep(newSpec);
  }

  @Override
  public String kind() {
    return "fit-sweep";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(Numbers.NUMBERS, Numbers.NUMBERS);
  }

  @Override
  public ArtifactKind output() {
    return new ArtifactKind("sweep-results");
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    List<dev.tessera.pipelines.artifact.Artifact> inputs = context.inputs(Numbers.NUMBERS);
    double[] xs = scaled(inputs.get(0).resolve("numbers.txt"));
    double[] ys = scaled(inputs.get(1).resolve("numbers.txt"));
    StringBuilder csv = new StringBuilder("trial,run_id,learning_rate,final_loss,weight\n");
    List<LineFitSpec> trials = spec.trials();
    int best = -1;
    LineFit.Result bestResult = null;
    String bestRunId = null;
    for (int i = 0; i < trials.size(); i++) {
      context.checkCancelled();
      LineFitSpec trialSpec = trials.get(i);
      String name = context.stageName() + "-" + i + "-lr" + trialSpec.learningRate();
      TrackedRun trial = context.tracker().startTrial(name, Specs.flatten("", trialSpec));
      LineFit.Result result;
      try {
        result = LineFit.fit(trialSpec, xs, ys);
        long now = System.currentTimeMillis();
        for (int step = 0; step < result.losses().length; step++) {
          trial.logMetric("loss", result.losses()[step], step + 1, now);
        }
        trial.logMetric("weight", result.weight(), result.losses().length, now);
      } catch (RuntimeException e) {
        trial.end(RunStatus.FAILED);
        throw e;
      }
      trial.end(RunStatus.FINISHED);
      csv.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s%n", i, trial.id(), trialSpec.learningRate(),
          result.finalLoss(), result.weight()));
      // A diverged trial has a NaN or infinite loss: never the best.
      if (Double.isFinite(result.finalLoss()) && (bestResult == null || result.finalLoss() < bestResult.finalLoss())) {
        best = i;
        bestResult = result;
        bestRunId = trial.id();
      }
      context.progress().update(i + 1, trials.size(), name + " loss " + result.finalLoss());
    }
    Files.writeString(context.outputDirectory().resolve("trials.csv"), csv);
    context.tracker().logArtifact(context.outputDirectory().resolve("trials.csv"), "trials.csv");
    if (bestResult == null) {
      throw new IllegalStateException("every trial of sweep '" + context.stageName() + "' diverged (learning rates "
          + spec.learningRates() + "); try smaller learning rates.");
    }
    context.tracker().logParams(Map.of("best.learningRate", Double.toString(trials.get(best).learningRate())));
    context.tracker().setTags(Map.of("tessera.sweep.best_trial", bestRunId));
    return StageResult.of(trials.size())
        .with("best_loss", bestResult.finalLoss())
        .with("best_weight", bestResult.weight());
  }

  /** The numbers of a numbers.txt, divided by the largest magnitude (so any power of 1..n fits in [0, 1]). */
  private static double[] scaled(Path file) throws java.io.IOException {
    List<String> lines = Files.readAllLines(file);
    double[] values = new double[lines.size()];
    double max = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = new java.math.BigDecimal(lines.get(i).strip()).doubleValue();
      max = Math.max(max, Math.abs(values[i]));
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = max == 0 ? 0 : values[i] / max;
    }
    return values;
  }
}
