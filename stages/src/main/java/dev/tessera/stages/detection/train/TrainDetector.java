package dev.tessera.stages.detection.train;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.stages.detection.model.AnchorBox;
import dev.tessera.stages.detection.model.AnchorKMeans;
import dev.tessera.stages.detection.model.DetectorModel;
import dev.tessera.stages.detection.model.YoloConfig;
import dev.tessera.stages.preview.Normalization;
import dev.tessera.stages.train.Checkpoints;
import dev.tessera.stages.train.Devices;
import dev.tessera.transforms.image.NormalizeSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trains the YOLO-style detector ({@code YoloNet}) on the {@code train} split of a letterboxed detection dataset
 * (a {@code DetectionAugment} output: float32 CHW, or u8 HWC), on the CPU with DJL. Anchors come from k-means on
 * the training boxes ({@link AnchorKMeans}); targets and loss are YOLOv5's ({@link LabelAssigner},
 * {@link YoloLoss}). Metrics {@code loss}, {@code loss_box}, {@code loss_objectness}, {@code loss_classes} and
 * {@code lr} go to the tracker per step, {@code epoch_loss} and {@code epoch_seconds} per epoch. The output is the
 * model directory: DJL parameters and {@code detector.json} (anchors, class names, letterbox side, normalization).
 * A full-state checkpoint after every epoch in the stage's work directory ({@code checkpoints/}) lets a crashed
 * run continue ({@code tessera resume}) with the weights an uninterrupted run would have had.
 *
 * <pre>{@code
 * .stage("train-detector", TrainDetector.of(416).epochs(50), after("augment"))
 * }</pre>
 */
public record TrainDetector(TrainDetectorSpec spec) implements Stage<TrainDetectorSpec> {
  /** The letterbox padding level YOLO uses (and {@code DetectionAugment} by default). */
  static final int PAD_VALUE = 114;

  /** The tiny CPU detector of {@link TrainDetectorSpec#defaults(int)} for {@code imageSize} inputs. */
  public static TrainDetector of(int imageSize) {
    return new TrainDetector(TrainDetectorSpec.defaults(imageSize));
  }

  /** A copy training for {@code epochs} epochs. */
  public TrainDetector epochs(int epochs) {
    return new TrainDetector(spec.withEpochs(epochs));
  }

  /** A copy with {@code size} images per step. */
  public TrainDetector batchSize(int size) {
    return new TrainDetector(spec.withBatchSize(size));
  }

  /** A copy with other width and depth multipliers. */
  public TrainDetector size(double width, double depth) {
    return new TrainDetector(spec.withSize(width, depth));
  }

  @Override
  public Stage<TrainDetectorSpec> withSpec(TrainDetectorSpec newSpec) {
    return new TrainDetector(newSpec);
  }

  @Override
  public String kind() {
    return TrainDetectorSpec.KIND;
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.MODEL;
  }

  /** True unless the spec sets a seed: weights, anchors and batch order come from the experiment seed. */
  @Override
  public boolean usesExperimentSeed() {
    return spec.seed() == null;
  }

  @Override
  public Map<String, String> environment() {
    return Devices.environment("cpu");
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    Artifact data = context.input(ArtifactKind.DATASET);
    DatasetManifest manifest = DatasetManifest.read(data.directory());
    DatasetManifest.Split split = manifest.splits().get("train");
    if (split == null || split.rows() == 0) {
      throw new IllegalArgumentException("train-detector needs a non-empty 'train' split, but dataset '"
          + manifest.dataset() + "' has " + manifest.splits().keySet() + ".");
    }
    long seed = spec.seed() != null ? spec.seed() : context.seed();
    Optional<NormalizeSpec> normalize = Normalization.read(data.directory());
    List<Double> mean = normalize.map(n -> Arrays.stream(n.mean()).boxed().toList()).orElse(List.of(0.0, 0.0, 0.0));
    List<Double> std = normalize.map(n -> Arrays.stream(n.std()).boxed().toList()).orElse(List.of(1.0, 1.0, 1.0));
    EpochAugment augment = new EpochAugment(spec.mosaicProbability(), spec.flips(), spec.brightness(),
        mean.stream().mapToDouble(Double::doubleValue).toArray(), std.stream().mapToDouble(Double::doubleValue)
        .toArray());
    DetectionShards shards = new DetectionShards(data.directory(), split.shards(), spec.imageSize(),
        spec.batchSize(), seed, augment);
    List<double[]> sizes = shards.boxSizes();
    List<List<AnchorBox>> anchors = AnchorKMeans.perScale(sizes, spec.anchorsPerScale(), seed);
    double anchorIou = AnchorKMeans.meanBestIou(sizes, anchors.stream().flatMap(List::stream).toList());
    YoloConfig config = new YoloConfig(manifest.classes().size(), spec.width(), spec.depth(), anchors);
    DetectorModel model = new DetectorModel(DetectorModel.FORMAT, manifest.classes(), spec.imageSize(), PAD_VALUE,
        config, mean, std, spec.epochs(), seed);
    context.progress().log("training a " + spec.width() + "x" + spec.depth() + " detector on " + split.rows()
        + " images of " + spec.imageSize() + " px, " + spec.epochs() + " epochs of " + shards.batchesPerEpoch()
        + " steps; anchors " + anchors + " (mean best IoU " + String.format(java.util.Locale.ROOT, "%.3f",
        anchorIou) + " over " + sizes.size() + " boxes)");
    Checkpoints checkpoints = Checkpoints.in(context.workDirectory().resolve("checkpoints"),
        Checkpoints.fingerprint(this, seed, data));
    List<EpochLoss> history = DetectorTrainer.train(spec, model, shards, seed, new StageLog(context),
        context.outputDirectory(), checkpoints);
    context.tracker().logArtifact(context.outputDirectory(), "model");
    EpochLoss last = history.get(history.size() - 1);
    double secondsPerEpoch = history.stream().mapToDouble(EpochLoss::seconds).average().orElse(0);
    return StageResult.of(split.rows())
        .with("loss", last.loss())
        .with("first_epoch_loss", history.get(0).loss())
        .with("seconds_per_epoch", secondsPerEpoch)
        .with("anchor_mean_iou", anchorIou);
  }

  /** Forwards the loop's metrics and progress to the stage context. */
  private record StageLog(StageContext context) implements TrainingLog {
    @Override
    public void metric(String key, double value, long step) {
      context.tracker().logMetric(key, value, step);
    }

    @Override
    public void progress(long done, long total, String message) {
      context.progress().update(done, total, message);
    }

    @Override
    public void info(String message) {
      context.progress().log(message);
    }

    @Override
    public void checkCancelled() throws InterruptedException {
      context.checkCancelled();
    }
  }
}
