package dev.tessera.stages.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import java.io.IOException;
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
 * <p>The inputs are named by location ({@code StageContext#inputLocation}): with an artifact root in a bucket
 * their folders there, so the workers read the dataset's shards from the bucket on whichever machine they run,
 * and fetch the model once per machine ({@link ModelCopy}: DJL loads models from local files only); else their
 * local directories. Nothing is downloaded to the driver for the workers.
 *
 * <pre>{@code
 * SplitEvaluation eval = SplitEvaluation.open(context, "evaluate", spec.split());
 * ConfusionMatrix matrix = eval.run(eval.shards()
 *     .apply("Predict", ParDo.of(new PredictShardFn(eval, ...)))
 *     .apply("Merge", Combine.globally(new MergeConfusion(classes))));
 * }</pre>
 *
 * @param modelLocation the model artifact's folder ({@code dev.tessera.pipelines.data.Locations})
 * @param modelDigest the model artifact's digest, which its local copies are checked against
 * @param dataLocation the dataset artifact's folder
 */
public record SplitEvaluation(StageContext context, String stage, String modelLocation, String modelDigest,
    String dataLocation, DatasetManifest manifest, DatasetManifest.Split split) {

  /**
   * Reads the stage's {@code MODEL} and {@code DATASET} inputs and picks {@code splitName} from the dataset.
   *
   * @param stage the stage's kind, naming the setting in errors ({@code evaluate} for {@code evaluate.split})
   * @throws IllegalArgumentException when the dataset has no such split
   */
  public static SplitEvaluation open(StageContext context, String stage, String splitName) throws IOException {
    String data = context.inputLocation(ArtifactKind.DATASET);
    DatasetManifest manifest = DatasetManifest.read(data);
    DatasetManifest.Split split = manifest.splits().get(splitName);
    if (split == null) {
      throw new IllegalArgumentException(stage + ".split '" + splitName + "' is not in dataset '"
          + manifest.dataset() + "'; its splits are " + manifest.splits().keySet() + ".");
    }
    return new SplitEvaluation(context, stage, context.inputLocation(ArtifactKind.MODEL),
        context.inputDigest(ArtifactKind.MODEL), data, manifest, split);
  }

  /** A folder of this attempt for files the workers hand to the driver, such as {@code predictions}. */
  public HandOff handOff(String name) {
    return HandOff.of(context, name);
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
    HandOff counts = handOff("confusion");
    merged.apply("Write", ParDo.of(new WriteConfusionFn(counts)));
    BeamPipelines.runToCompletion(merged.getPipeline(), stage);
    ConfusionMatrix matrix = ConfusionMatrix.of(new ObjectMapper().readValue(counts.read(WriteConfusionFn.FILE),
        long[][].class));
    counts.delete();
    return matrix;
  }
}
