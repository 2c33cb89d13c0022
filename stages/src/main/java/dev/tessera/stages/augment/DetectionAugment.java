package dev.tessera.stages.augment;

import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.stages.preview.Normalization;
import dev.tessera.stages.preview.SampleGrid;
import dev.tessera.transforms.augment.Mixup;
import dev.tessera.transforms.augment.MixupSample;
import dev.tessera.transforms.augment.Mosaic;
import dev.tessera.transforms.augment.MosaicSample;
import dev.tessera.transforms.augment.Randomness;
import dev.tessera.transforms.image.Letterbox;
import dev.tessera.transforms.image.LetterboxSample;
import dev.tessera.transforms.image.MixupKernel;
import dev.tessera.transforms.image.MosaicKernel;
import dev.tessera.transforms.image.MosaicLayout;
import dev.tessera.transforms.image.Normalize;
import dev.tessera.transforms.image.NormalizeSample;
import dev.tessera.transforms.image.Resize;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;

/**
 * Detector input from a sharded detection dataset (uint8 HWC with boxes, as {@code Ingest} writes it), as a Beam
 * pipeline: mosaic on the training split (seeded by the experiment seed and {@link DetectionAugmentSpec#epoch()}),
 * then letterbox every image to a padded square, then, if turned on, mixup on the training split, then normalize to
 * float32 CHW. Boxes follow every step and stay inside the square; every input sample gives exactly one output
 * sample with the same id and split (a mosaic or mixup keeps its anchor's id). The same input, spec and seed give
 * byte-identical shards on every runner ({@link AugmentShards}). Output kind: {@link ArtifactKind#DATASET}, with
 * {@code preview.png} (a grid of augmented samples, training split first, boxes drawn) logged as an artifact and
 * {@code normalization.json} for previews.
 *
 * <pre>{@code
 * .stage("augment", DetectionAugment.letterbox(416), after("ingest"))
 * .stage("augment-epoch-1", DetectionAugment.letterbox(416).epoch(1), after("ingest"))
 * .stage("val-only", DetectionAugment.letterbox(416).withoutMosaic(), after("ingest"))
 * .stage("augment-mixup", DetectionAugment.letterbox(416).withMixup(0.5), after("ingest"))
 * }</pre>
 */
public record DetectionAugment(DetectionAugmentSpec spec) implements Stage<DetectionAugmentSpec> {
  /** The preview grid's file name inside the artifact. */
  public static final String PREVIEW = "preview.png";

  /** Mosaic on {@code train} (640-pixel canvas), letterbox to {@code size} (stride 32), ImageNet normalize. */
  public static DetectionAugment letterbox(int size) {
    return new DetectionAugment(DetectionAugmentSpec.of(size));
  }

  /** A copy drawing another epoch's mosaic groups and centres. */
  public DetectionAugment epoch(long epoch) {
    return new DetectionAugment(spec.withEpoch(epoch));
  }

  /** A copy without mosaic: every split is only letterboxed and normalized. */
  public DetectionAugment withoutMosaic() {
    return new DetectionAugment(spec.withMosaic(spec.mosaicSplits(), 0, spec.mosaicSize(), spec.mosaicTileSide()));
  }

  /**
   * A copy that also mixes up a {@code probability} share of the training samples after letterbox, each with the
   * spec's ratio range (0.4..0.6 by default).
   */
  public DetectionAugment withMixup(double probability) {
    return new DetectionAugment(spec.withMixup(probability, spec.mixupMinRatio(), spec.mixupMaxRatio()));
  }

  /** A copy writing about {@code n} samples per shard. */
  public DetectionAugment samplesPerShard(int n) {
    return new DetectionAugment(spec.withSamplesPerShard(n));
  }

  @Override
  public Stage<DetectionAugmentSpec> withSpec(DetectionAugmentSpec newSpec) {
    return new DetectionAugment(newSpec);
  }

  @Override
  public String kind() {
    return "augment";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.DATASET;
  }

  /** Mosaic and mixup draws come from the experiment seed, so it is part of the cache key (unless both are off). */
  @Override
  public boolean usesExperimentSeed() {
    return spec.mosaics() || spec.mixes();
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    // Locations, not local paths: with an artifact root in a bucket the workers read and write there directly.
    String input = context.inputLocation(ArtifactKind.DATASET);
    String written = context.outputLocation();
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    DatasetManifest in = DatasetManifest.read(input);
    Path out = context.outputDirectory();
    Map<String, Long> rows = new TreeMap<>();
    in.splits().forEach((split, shards) -> rows.put(split, shards.rows()));
    OutputShards outputShards = OutputShards.of(rows, spec.samplesPerShard());
    List<String> shards = in.shards().stream().map(ShardInfo::file).toList();
    context.progress().update(0, in.totalRows(), "augmenting " + in.totalRows() + " samples (seed "
        + context.seed() + ", epoch " + spec.epoch() + ")");
    // Float 416x416x3 samples are 2 MB each: keep record batches small so readers stream them.
    ShardWriterSettings settings = ShardWriterSettings.of(in.dataset(), in.classes()).withRowsPerBatch(16);
    pipeline.apply("Augment", AugmentShards.of(input, written, shards, spec, context.seed(), outputShards,
        settings));
    BeamPipelines.runToCompletion(pipeline, "augment");

    DatasetManifest manifest = ShardOutputs.collect(written, in.dataset(), in.classes());
    if (manifest.totalRows() != in.totalRows()) {
      throw new IllegalStateException("augment wrote " + manifest.totalRows() + " samples but read "
          + in.totalRows() + "; every input sample must give exactly one output sample");
    }
    Normalization.write(out, spec.normalize());
    context.progress().update(manifest.totalRows(), manifest.totalRows(), manifest.totalRows() + " samples");
    StageResult result = StageResult.of(manifest.totalRows()).with("shards", manifest.shards().size());
    for (Map.Entry<String, DatasetManifest.Split> split : manifest.splits().entrySet()) {
      result = result.with(split.getKey() + "_samples", split.getValue().rows());
    }
    if (manifest.totalRows() > 0) {
      Path png = SampleGrid.writeDatasetPreview(written, spec.normalize(), out.resolve(PREVIEW), 16);
      context.tracker().logArtifact(png, PREVIEW);
    }
    return result;
  }
}
