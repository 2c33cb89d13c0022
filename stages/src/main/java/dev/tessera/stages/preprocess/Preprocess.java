package dev.tessera.stages.preprocess;

import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.beam.MapShards;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.stages.preview.Normalization;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.image.NormalizeSample;
import dev.tessera.transforms.image.ResizeSample;
import dev.tessera.transforms.sample.SampleFunction;
import java.util.List;
import org.apache.beam.sdk.Pipeline;

/**
 * Maps a sharded dataset through resize (optional) and normalize, shard to shard, as a Beam pipeline. The output
 * holds float32 CHW images, the same ids, labels and row order, and a {@code normalization.json} for previews.
 *
 * <pre>{@code
 * .stage("preprocess", Preprocess.normalize(0.1307, 0.3081).resizedTo(32, 32), after("ingest"))
 * }</pre>
 */
public record Preprocess(PreprocessSpec spec) implements Stage<PreprocessSpec> {

  /** Normalizes with one mean and std for every channel, keeping the image size. */
  public static Preprocess normalize(double mean, double std) {
    return new Preprocess(new PreprocessSpec(0, 0, Interpolation.BILINEAR, List.of(mean), List.of(std)));
  }

  /** A copy that first resizes to {@code width x height} (bilinear). */
  public Preprocess resizedTo(int width, int height) {
    return new Preprocess(new PreprocessSpec(width, height, spec.interpolation(), spec.mean(), spec.std()));
  }

  @Override
  public Stage<PreprocessSpec> withSpec(PreprocessSpec newSpec) {
    return new Preprocess(newSpec);
  }

  @Override
  public String kind() {
    return "preprocess";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.DATASET;
  }

  /** The per-sample function this stage applies. */
  public SampleFunction function() {
    SampleFunction normalize = new NormalizeSample(spec.normalize());
    return spec.resizes() ? new ResizeSample(spec.resize()).andThen(normalize) : normalize;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    // Locations, not local paths: with an artifact root in a bucket the workers read and write there directly.
    String input = context.inputLocation(ArtifactKind.DATASET);
    String output = context.outputLocation();
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    DatasetManifest in = DatasetManifest.read(input);
    List<String> shards = in.shards().stream().map(ShardInfo::file).toList();
    context.progress().update(0, shards.size(), "mapping " + shards.size() + " shards");
    pipeline.apply("Preprocess", MapShards.of(input, output, shards, function(),
        ShardWriterSettings.of(in.dataset(), in.classes())));
    BeamPipelines.runToCompletion(pipeline, "preprocess");
    DatasetManifest out = ShardOutputs.collect(output, in.dataset(), in.classes());
    Normalization.write(context.outputDirectory(), spec.normalize());
    context.progress().update(shards.size(), shards.size(), out.totalRows() + " samples");
    if (out.totalRows() != in.totalRows()) {
      throw new IllegalStateException("preprocess wrote " + out.totalRows() + " samples but read "
          + in.totalRows() + "; no sample may be dropped silently");
    }
    return StageResult.of(out.totalRows());
  }
}
