package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Headline;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * Evaluates a trained classifier on one split as a Beam pipeline: shards are classified in parallel (one model per
 * worker, loaded in {@code @Setup}) and their confusion counts merged with a {@code CombineFn}. The workers read the
 * shards where the dataset is, in the bucket when the artifact root is one ({@link SplitEvaluation}). Writes accuracy,
 * per-class precision, recall and F1, macro averages and the confusion matrix as {@code metrics.json}, and the
 * matrix as {@code confusion_matrix.png}. Each sample's class probabilities are kept ({@code predictions.arrow},
 * see {@link PredictionsFile}) for the {@link ProbabilityReport} metrics (ROC AUC, average precision, log loss,
 * top-k, balanced accuracy, kappa), also in {@code metrics.json}, and {@code roc_curves.png}/{@code pr_curves.png}.
 *
 * <pre>{@code
 * .stage("evaluate", Evaluate.classification(), after("train", "preprocess"))
 * }</pre>
 */
public record Evaluate(EvaluateSpec spec) implements Stage<EvaluateSpec> {

  /** Evaluates on the {@code test} split in batches of 500, reporting {@link EvaluateSpec#DEFAULT_METRICS}. */
  public static Evaluate classification() {
    return new Evaluate(EvaluateSpec.defaults());
  }

  /**
   * A copy reporting these registered {@link ClassificationMetric}s, the first as the headline.
   *
   * <pre>{@code
   * Evaluate.classification().metrics("accuracy", "my_balanced_accuracy")
   * }</pre>
   */
  public Evaluate metrics(String... names) {
    return new Evaluate(spec.withMetrics(List.of(names)));
  }

  /** The first metric of the spec, on the evaluated split. */
  @Override
  public java.util.Optional<Headline> headline() {
    String metric = spec.metrics().get(0);
    String label = Character.toUpperCase(spec.split().charAt(0)) + spec.split().substring(1) + " "
        + metric.replace('_', ' ');
    return java.util.Optional.of(new Headline(metric, label, true));
  }

  /** The metric implementations the spec names: the code fingerprint follows them too. */
  @Override
  public List<Class<?>> implementationClasses() {
    return spec.metrics().stream().<Class<?>>map(m -> ClassificationMetric.registry().get(m).getClass()).toList();
  }

  @Override
  public Stage<EvaluateSpec> withSpec(EvaluateSpec newSpec) {
    return new Evaluate(newSpec);
  }

  @Override
  public String kind() {
    return "evaluate";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.MODEL, ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.METRICS;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    SplitEvaluation eval = SplitEvaluation.open(context, "evaluate", spec.split());
    DatasetManifest manifest = eval.manifest();
    DatasetManifest.Split split = eval.split();
    int classes = manifest.classes().size();
    context.progress().update(0, split.shards().size(), "classifying " + split.rows() + " samples");
    HandOff shardPredictions = eval.handOff("predictions");
    ConfusionMatrix matrix = eval.run(eval.shards()
        .apply("Predict", ParDo.of(new PredictShardFn(eval, classes, spec.batchSize(), shardPredictions)))
        .apply("Merge", Combine.globally(new MergeConfusion(classes))));
    if (matrix.total() != split.rows()) {
      throw new IllegalStateException("evaluate classified " + matrix.total() + " samples, but split '"
          + spec.split() + "' has " + split.rows());
    }
    context.progress().update(split.shards().size(), split.shards().size(), matrix.total() + " samples");
    ClassificationReport report = ClassificationReport.of(matrix, manifest.classes());
    Predictions predictions = PredictShardFn.collect(shardPredictions, split.shards(), classes);
    ProbabilityReport scores = ProbabilityReport.of(predictions);
    Path out = context.outputDirectory();
    java.nio.file.Files.writeString(out.resolve("metrics.json"), scores.mergedJson(report));
    PredictionsFile.write(predictions, out.resolve("predictions.arrow"));
    ConfusionMatrixPlot.savePng(matrix, manifest.classes(), out.resolve("confusion_matrix.png"));
    List<String> artifacts = new java.util.ArrayList<>(List.of("metrics.json", "confusion_matrix.png"));
    artifacts.addAll(scores.savePlots(predictions, manifest.classes(), out));
    for (String artifact : artifacts) {
      context.tracker().logArtifact(out.resolve(artifact), artifact);
    }
    StageResult result = StageResult.of(matrix.total());
    for (String metric : spec.metrics()) {
      result = result.with(metric, ClassificationMetric.registry().get(metric).compute(matrix));
    }
    // The metrics of the class probabilities (ROC AUC, AP, log loss, top-k, ...), after the spec's own.
    for (var figure : scores.summary().entrySet()) {
      if (!result.summary().containsKey(figure.getKey())) {
        result = result.with(figure.getKey(), figure.getValue());
      }
    }
    return result;
  }
}
