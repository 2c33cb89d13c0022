package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.stages.train.BatchSource;
import dev.tessera.stages.train.ClassifierPredictor;
import dev.tessera.stages.train.ImageBatch;
import dev.tessera.stages.train.ShardBatchSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a trained classifier on one split: accuracy, per-class precision, recall and F1, macro averages, the
 * confusion matrix as {@code metrics.json} and as {@code confusion_matrix.png}.
 *
 * <pre>{@code
 * .stage("evaluate", Evaluate.classification(), after("train", "preprocess"))
 * }</pre>
 */
public record Evaluate(EvaluateSpec spec) implements Stage<EvaluateSpec> {

  /** Evaluates on the {@code test} split in batches of 500. */
  public static Evaluate classification() {
    return new Evaluate(new EvaluateSpec("test", 500));
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
  public List<Class<?>> implementationClasses() {
    return List.of(Evaluate.class, EvaluateSpec.class, ConfusionMatrix.class, ClassificationReport.class,
        ConfusionMatrixPlot.class, ClassifierPredictor.class, ShardBatchSource.class);
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    Artifact model = context.input(ArtifactKind.MODEL);
    Artifact data = context.input(ArtifactKind.DATASET);
    DatasetManifest manifest = DatasetManifest.read(data.directory());
    DatasetManifest.Split split = manifest.splits().get(spec.split());
    if (split == null) {
      throw new IllegalArgumentException("evaluate.split '" + spec.split() + "' is not in dataset '"
          + manifest.dataset() + "'; its splits are " + manifest.splits().keySet() + ".");
    }
    ConfusionMatrix matrix = new ConfusionMatrix(manifest.classes().size());
    try (ClassifierPredictor predictor = ClassifierPredictor.load(model.directory());
        BatchSource source = new ShardBatchSource(data.directory(), split.shards(),
            predictor.modelSpec().sampleSize(), spec.batchSize(), 0, false);
        BatchSource.Cursor batches = source.epoch(0)) {
      long total = source.batchesPerEpoch().orElse(0);
      long done = 0;
      while (batches.hasNext()) {
        context.checkCancelled();
        ImageBatch batch = batches.next();
        int[] predicted = predictor.predict(batch);
        matrix.addAll(Arrays.copyOf(batch.labels(), batch.count()), Arrays.copyOf(predicted, batch.count()));
        context.progress().update(++done, total, matrix.total() + " samples");
      }
    }
    ClassificationReport report = ClassificationReport.of(matrix, manifest.classes());
    Path out = context.outputDirectory();
    report.writeJson(out.resolve("metrics.json"));
    ConfusionMatrixPlot.savePng(matrix, manifest.classes(), out.resolve("confusion_matrix.png"));
    context.tracker().logArtifact(out.resolve("metrics.json"), "metrics.json");
    context.tracker().logArtifact(out.resolve("confusion_matrix.png"), "confusion_matrix.png");
    return StageResult.of(matrix.total())
        .with("accuracy", report.accuracy())
        .with("macro_precision", report.macro().precision())
        .with("macro_recall", report.macro().recall())
        .with("macro_f1", report.macro().f1());
  }
}
