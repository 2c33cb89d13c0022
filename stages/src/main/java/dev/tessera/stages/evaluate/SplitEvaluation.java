package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;

/**
 * What every evaluation stage starts from and ends with: the model and dataset inputs, the split it evaluates
 * (refused, naming the dataset's splits, when missing), a Beam pipeline that spreads the split's shards over the
 * workers, and the one confusion matrix that pipeline combines, read back by the driver.
 *
 * <pre>{@code
 * SplitEvaluation eval = SplitEvaluation.open(context, "evaluate", spec.split());
 * ConfusionMatrix matrix = eval.run(eval.shards()
 *     .apply("Predict", ParDo.of(new PredictShardFn(eval.modelDirectory(), ...)))
 *     .apply("Merge", Combine.globally(new MergeConfusion(classes))));
 * }</pre>
 */
public record SplitEvaluation(StageContext context, String stage, Path modelDirectory, Path dataDirectory,
    DatasetManifest manifest, DatasetManifest.Split split) {

  /**
   * Reads the stage's {@code MODEL} and {@code DATASET} inputs and picks {@code splitName} from the dataset.
   *
   * @param stage the stage's kind, naming the setting in errors ({@code evaluate} for {@code evaluate.split})
   * @throws IllegalArgumentException when the dataset has no such split
   */
  public static SplitEvaluation open(StageContext context, String stage, String splitName) throws IOException {
    Path data = context.input(ArtifactKind.DATASET).directory();
    DatasetManifest manifest = DatasetManifest.read(data);
    DatasetManifest.Split split = manifest.splits().get(splitName);
    if (split == null) {
      throw new IllegalArgumentException(stage + ".split '" + splitName + "' is not in dataset '"
          + manifest.dataset() + "'; its splits are " + manifest.splits().keySet() + ".");
    }
    return new SplitEvaluation(context, stage, context.input(ArtifactKind.MODEL).directory(), data, manifest,
        split);
  }

  /** A path in the work directory private to this attempt, such as {@code predictions-2}. */
  public Path workPath(String prefix) {
    return context.workDirectory().resolve(prefix + "-" + context.attempt());
  }

  /** A new pipeline's first steps: the split's shards, spread over the workers. */
  public PCollection<ShardInfo> shards() {
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    return pipeline
        .apply("Shards", Create.of(split.shards()).withCoder(SerializableCoder.of(ShardInfo.class)))
        .apply("SpreadShards", Reshuffle.viaRandomKey());
  }

  /** Runs the pipeline that ends in {@code merged} (one matrix) and returns that matrix. */
  public ConfusionMatrix run(PCollection<ConfusionMatrix> merged) throws IOException {
    Path counts = context.workDirectory().resolve("confusion-" + context.attempt() + ".json");
    merged.apply("Write", ParDo.of(new WriteConfusionFn(counts)));
    BeamPipelines.runToCompletion(merged.getPipeline(), stage);
    ConfusionMatrix matrix = WriteConfusionFn.read(counts);
    Files.delete(counts);
    return matrix;
  }
}
