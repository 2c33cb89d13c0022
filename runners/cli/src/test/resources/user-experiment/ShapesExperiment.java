import static dev.tessera.pipelines.dag.Experiment.after;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.dag.ExperimentDefinition;
import dev.tessera.stages.evaluate.ClassificationMetric;
import dev.tessera.stages.evaluate.ConfusionMatrix;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.ingest.Ingest;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;

/**
 * A user's experiment, written against Tessera's public API only: a built-in ingest of a local image folder, a stage
 * of the user's own (PixelStats, in the file beside this one), built-in preprocess/train/evaluate, and a metric of
 * the user's own (ErrorRate, below).
 */
public final class ShapesExperiment implements ExperimentDefinition {
  @Override
  public String name() {
    return "shapes";
  }

  @Override
  public String description() {
    return "bright vs dark squares: a user's experiment with its own stage and metric";
  }

  @Override
  public Experiment define() {
    return Experiment.named("shapes")
        .seed(42)
        .stage("ingest", Ingest.local("shapes", "@DATA@"))
        .stage("stats", PixelStats.of(4), after("ingest"))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("ingest"))
        .stage("train", Train.classifier(Models.mlp(16).withInput(3, 8, 8).withClasses(2)).epochs(2).batchSize(8),
            after("preprocess"))
        .stage("evaluate", Evaluate.classification().metrics("accuracy", "error_rate"), after("train", "preprocess"))
        .build();
  }

  /** 1 - accuracy: a metric of the user's own, registered from this file. */
  public static final class ErrorRate implements ClassificationMetric {
    @Override
    public String name() {
      return "error_rate";
    }

    @Override
    public double compute(ConfusionMatrix matrix) {
      return 1.0 - (double) matrix.correct() / matrix.total();
    }
  }
}
