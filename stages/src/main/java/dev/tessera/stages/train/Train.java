package dev.tessera.stages.train;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.stages.evaluate.TrainingCurvePlot;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Trains a classifier with DJL (PyTorch engine) on the {@code train} split of a dataset, streaming Arrow shards
 * into batches with prefetching. Metrics go to the tracker as {@code train/...}; the output is the model directory
 * (DJL parameters, {@code tessera-model.json}, an MLflow {@code MLmodel} file) plus {@code training_curves.png}.
 *
 * <p>Checkpoints ({@link CheckpointSpec}) go to {@code <work directory>/checkpoints}, which survives failures and
 * {@code tessera resume}: a retried or resumed attempt of the same spec, seed, code and data continues from the
 * newest valid checkpoint, exactly (see {@link ClassifierTrainer}).
 *
 * <pre>{@code
 * .stage("train", Train.classifier(Models.lenet()).epochs(5).batchSize(128), after("preprocess"))
 * }</pre>
 */
public record Train(TrainSpec spec) implements Stage<TrainSpec> {

  /** Trains {@code model} with {@link TrainSpec#defaults(ModelSpec)}. */
  public static Train classifier(ModelSpec model) {
    return new Train(TrainSpec.defaults(model));
  }

  /** A copy training for {@code epochs} epochs. */
  public Train epochs(int epochs) {
    return new Train(spec.withEpochs(epochs));
  }

  /** A copy with batches of {@code size} samples. */
  public Train batchSize(int size) {
    return new Train(spec.withBatchSize(size));
  }

  /** A copy with Adam at learning rate {@code lr}. */
  public Train adam(double lr) {
    return new Train(spec.withOptimizer(OptimizerSpec.adam(lr)));
  }

  /** A copy with SGD (momentum) at learning rate {@code lr}. */
  public Train sgd(double lr, double momentum) {
    return new Train(spec.withOptimizer(OptimizerSpec.sgd(lr, momentum)));
  }

  /** A copy with this optimizer (rule, learning rate, weight decay, clipping, scaling). */
  public Train optimizer(OptimizerSpec optimizer) {
    return new Train(spec.withOptimizer(optimizer));
  }

  /** A copy with this learning-rate schedule (warm-up and shape). */
  public Train schedule(ScheduleSpec schedule) {
    return new Train(spec.withSchedule(schedule));
  }

  /** Validates after every epoch on {@code validation}'s split or seeded hold-out ({@code train.validation}). */
  public Train validation(ValidationSpec validation) {
    return new Train(spec.withValidation(validation));
  }

  /**
   * A copy that trains on {@code uint8} shards (an ingest output), preparing every sample afresh each epoch with
   * {@code online}'s augmentations and resize-and-normalize kernel (see {@link OnlineSpec}).
   */
  public Train online(OnlineSpec online) {
    return new Train(spec.withOnline(online));
  }

  /** A copy whose learning rate decays along a cosine to 1% at the last step. */
  public Train cosine() {
    return new Train(spec.withSchedule(ScheduleSpec.cosine()));
  }

  @Override
  public Stage<TrainSpec> withSpec(TrainSpec newSpec) {
    return new Train(newSpec);
  }

  @Override
  public String kind() {
    return TrainSpec.KIND;
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.MODEL;
  }

  /** The registry entries the spec names (model and loss): the code fingerprint follows them too. */
  @Override
  public List<Class<?>> implementationClasses() {
    return List.of(spec.model().factory().getClass(), LossFactory.registry().get(spec.loss()).getClass());
  }

  /** True unless the spec overrides the seed: then the experiment seed is part of the cache key. */
  @Override
  public boolean usesExperimentSeed() {
    return spec.seed() == null;
  }

  /** The seed this stage trains with: the spec's override, else the experiment seed. */
  long seed(StageContext context) {
    return spec.seed() != null ? spec.seed() : context.seed();
  }

  @Override
  public Map<String, String> environment() {
    return Devices.environment(Devices.plan(spec).describe());
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    Artifact data = context.input(ArtifactKind.DATASET);
    DatasetManifest manifest = DatasetManifest.read(data.directory());
    DatasetManifest.Split split = manifest.splits().get("train");
    if (split == null) {
      throw new IllegalArgumentException("train needs a 'train' split, but dataset '" + manifest.dataset()
          + "' has " + manifest.splits().keySet() + ".");
    }
    DevicePlan plan = Devices.plan(spec);
    long seed = seed(context);
    ValidationSpec validation = spec.validation();
    DatasetManifest.Split named = validation.split().isEmpty() ? null : manifest.splits().get(validation.split());
    if (!validation.split().isEmpty() && named == null && validation.holdoutFraction() == 0) {
      throw new IllegalArgumentException("train.validation.split is '" + validation.split() + "', but dataset '"
          + manifest.dataset() + "' has only " + manifest.splits().keySet() + "; name one of those, or set "
          + "train.validation.holdoutFraction to hold out part of train");
    }
    boolean holdout = named == null && validation.holdoutFraction() > 0;
    if (spec.online() == null && spec.model().factory().perPixel()) {
      throw new IllegalArgumentException("train.model " + spec.model().architecture() + " classifies every pixel and "
          + "trains on the masks of uint8 shards (an ingest output with masks), which needs train.online; set it, "
          + "for example Train.classifier(model).online(OnlineSpec.resizeNormalize(256, 256, 0.5, 0.25))");
    }
    if (spec.online() == null) {
      checkInputShape(data.directory(), split.shards().get(0));
    }
    double fraction = validation.holdoutFraction();
    try (BatchSource source = source(data.directory(), split, plan, seed, true,
            holdout ? new ShardBatchSource.Holdout(seed, fraction, false) : null);
        BatchSource validationSource = named != null ? source(data.directory(), named, plan, seed, false, null)
            : holdout ? source(data.directory(), split, plan, seed, false,
                new ShardBatchSource.Holdout(seed, fraction, true)) : null) {
      long samples = source instanceof ShardBatchSource shards ? shards.samples()
          : source instanceof OnlineBatchSource online ? online.samples() : split.rows();
      long batches = source.batchesPerEpoch().orElse(0);
      context.progress().log("training " + spec.model().architecture() + " on " + samples + " samples, "
          + spec.epochs() + " epochs of " + batches + " batches, on " + plan.describe()
          + (spec.online() == null ? "" : ", samples prepared online each epoch (" + spec.online().describe() + ")")
          + (validationSource == null ? "" : ", validating on " + (named != null ? "split '" + validation.split()
              + "'" : validation.holdoutFraction() + " of train held out")));
      TrainingCallbacks callbacks = new StageCallbacks(context, spec.epochs());
      Checkpoints checkpoints = Checkpoints.in(context.workDirectory().resolve("checkpoints"),
          fingerprint(seed, data));
      TrainingResult result = ClassifierTrainer.train(spec, seed, source, validationSource, callbacks,
          context.outputDirectory(), checkpoints);
      Path curves = context.outputDirectory().resolve("training_curves.png");
      TrainingCurvePlot.savePng(result.history(), curves);
      context.tracker().logArtifact(context.outputDirectory(), "model");
      StageResult summary = StageResult.of(samples)
          .with("loss", result.finalTrainLoss())
          .with("accuracy", result.finalTrainAccuracy())
          .with("seconds", result.wallTime().toMillis() / 1000.0);
      // The output weights' validation figures: what a sweep can choose trials on without seeing the test split.
      return result.validatedOutputEpoch().map(e -> summary.with("val_loss", e.validationLoss())
          .with("val_accuracy", e.validationAccuracy())).orElse(summary);
    }
  }

  /**
   * The batches of a split, shuffled and augmented (training) or in order and only resized and normalized
   * (validation), reading only the rows {@code holdout} selects (null: all). Per-pixel models take their labels
   * from the samples' masks.
   */
  private BatchSource source(Path dir, DatasetManifest.Split split, DevicePlan plan, long seed, boolean shuffle,
      ShardBatchSource.Holdout holdout) {
    if (spec.online() != null) {
      OnlineSpec online = shuffle ? spec.online() : spec.online().withoutAugmentation();
      return new OnlineBatchSource(dir, split.shards(), online, spec.model().channels(), plan.effectiveBatchSize(),
          seed, shuffle, holdout, spec.model().factory().perPixel());
    }
    return new ShardBatchSource(dir, split.shards(), spec.model().sampleSize(), plan.effectiveBatchSize(), seed,
        shuffle, spec.shuffleBlockRows(), holdout);
  }

  /**
   * What makes a later attempt the same training run, so it may continue from this one's checkpoints: the spec
   * except {@code epochs}, the seed, the code (bytecode fingerprint) and the input data (its artifact digest).
   *
   * <p>{@code epochs} is the run's budget, not what it is: a run checkpointed after 1 epoch continues to 3 when
   * asked for 3 (successive halving promotes sweep trials this way). With a constant learning rate that is the
   * 3-epoch run exactly; a schedule whose shape depends on the length (cosine, step) is laid over the new length
   * from the resumed step on. A checkpoint past the asked epochs is not resumed (see {@link TrainingLoop}).
   */
  String fingerprint(long seed, Artifact data) {
    return Checkpoints.fingerprint(this, seed, data, "epochs");
  }

  private void checkInputShape(Path dir, ShardInfo shard) throws java.io.IOException {
    try (ShardReader reader = ShardReader.open(dir.resolve(shard.file()))) {
      Sample first = reader.samples().next();
      ModelSpec model = spec.model();
      if (first.channels() != model.channels() || first.height() != model.height()
          || first.width() != model.width()) {
        throw new IllegalArgumentException("train.model expects " + model.channels() + "x" + model.height() + "x"
            + model.width() + " (CxHxW) images, but the dataset has " + first.channels() + "x" + first.height()
            + "x" + first.width() + ". Resize in preprocess or set the model input to match.");
      }
      if (first.dtype() != dev.tessera.transforms.sample.DType.FLOAT32) {
        throw new IllegalArgumentException("train needs float32 images (normalize them in preprocess), but the "
            + "dataset holds " + first.dtype() + ".");
      }
    }
  }

  /** Forwards training metrics and progress to the stage context. */
  private static final class StageCallbacks implements TrainingCallbacks {
    private final StageContext context;
    private final int epochs;

    StageCallbacks(StageContext context, int epochs) {
      this.context = context;
      this.epochs = epochs;
    }

    @Override
    public void metric(String key, double value, long step) {
      context.tracker().logMetric(key.startsWith("train/") ? key.substring("train/".length()) : key, value, step);
    }

    @Override
    public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {
      long total = batchesPerEpoch > 0 ? batchesPerEpoch * epochs : 0;
      long done = batchesPerEpoch > 0 ? (epoch - 1L) * batchesPerEpoch + batchInEpoch : batchInEpoch;
      context.progress().update(done, total,
          message == null || message.isEmpty() ? "epoch " + epoch + "/" + epochs : message);
    }

    @Override
    public void checkCancelled() throws InterruptedException {
      context.checkCancelled();
    }

    @Override
    public void log(String message) {
      context.progress().log(message);
    }

    @Override
    public void params(Map<String, String> params) {
      context.tracker().logParams(params);
      context.progress().log("resolved: " + params);
    }
  }
}
