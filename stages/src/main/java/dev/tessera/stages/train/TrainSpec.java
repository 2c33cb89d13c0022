package dev.tessera.stages.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.pipelines.dag.StageSpec;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to train a classifier: model, schedule, optimizer, device and seed.
 *
 * <pre>{@code
 * TrainSpec spec = TrainSpec.defaults(Models.lenet()).withEpochs(3).withDevice("cpu");
 * }</pre>
 *
 * @param model which classifier, its input shape and classes
 * @param epochs passes over the training data, >= 1
 * @param batchSize samples per step and per device, >= 1; with {@code gpus=N} the effective batch is N times this
 * @param learningRate the learning rate for one device, in (0, 10]; scaled linearly with the device count
 * @param optimizer {@link OptimizerKind#ADAM} or {@link OptimizerKind#SGD}
 * @param momentum SGD momentum in [0, 1); must be 0 for Adam
 * @param device {@code auto} (GPUs if present, else CPU), {@code cpu}, {@code gpu} (the first GPU) or
 *     {@code gpus=N} (data parallel over the first N GPUs)
 * @param prefetchBatches batches prepared ahead on a background thread, in [0, 1024]; 0 disables prefetching
 * @param logEverySteps report {@code train/loss} and {@code train/accuracy} every this many steps, >= 1
 * @param seed an explicit override of the experiment seed for this stage (weight initialization, batch shuffling,
 *     online augmentation), or {@code null} (the default) to use the experiment seed, the root of all randomness;
 *     the same seed gives the same model on CPU
 * @param schedule how the learning rate changes over the steps of training
 * @param online the online path ({@link OnlineSpec}: train on uint8 shards, augmented afresh each epoch), or
 *     {@code null} to train on preprocessed float shards as they are
 * @param shuffleBlockRows rows of a float shard that stay together when an epoch is shuffled, in [1, 65536]; 1
 *     (the default) shuffles single rows. Blocks of 16 read about twice as fast (BENCHMARKS.md, P3) at
 *     the price of neighbouring rows sharing batches more often; block boundaries move every epoch. Not used by the
 *     online path, whose cost is in its kernels.
 * @param loss a registered {@link LossFactory} name; {@code cross-entropy} by default
 * @param checkpoint when to write full-state checkpoints and how many to keep ({@link CheckpointSpec}); the train
 *     stage resumes from them after a crash
 */
public record TrainSpec(
    ModelSpec model,
    int epochs,
    int batchSize,
    double learningRate,
    OptimizerKind optimizer,
    double momentum,
    String device,
    int prefetchBatches,
    int logEverySteps,
    Long seed,
    LrSchedule schedule,
    @JsonInclude(JsonInclude.Include.NON_NULL) OnlineSpec online,
    int shuffleBlockRows,
    String loss,
    CheckpointSpec checkpoint)
    implements StageSpec {

  /** The stage kind this spec configures. */
  public static final String KIND = "train";

  /** The device strings a spec accepts, as a regular expression. */
  static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpus=[1-9][0-9]*");

  public TrainSpec {
    if (model == null) {
      throw new IllegalArgumentException("train.model must be set (for example Models.lenet()), but was null");
    }
    model.factory().check(model);
    if (epochs < 1) {
      throw new IllegalArgumentException("train.epochs must be >= 1, but was " + epochs);
    }
    if (batchSize < 1 || batchSize > 1 << 16) {
      throw new IllegalArgumentException("train.batchSize must be in [1, 65536], but was " + batchSize);
    }
    if (!(learningRate > 0 && learningRate <= 10)) {
      throw new IllegalArgumentException("train.learningRate must be in (0, 10], but was " + learningRate);
    }
    if (optimizer == null) {
      throw new IllegalArgumentException(
          "train.optimizer must be one of " + List.of(OptimizerKind.values()) + ", but was null");
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("train.momentum must be in [0, 1), but was " + momentum);
    }
    if (optimizer == OptimizerKind.ADAM && momentum != 0) {
      throw new IllegalArgumentException(
          "train.momentum must be 0 with optimizer ADAM (Adam has its own betas), but was " + momentum);
    }
    if (device == null || !DEVICE.matcher(device).matches()) {
      throw new IllegalArgumentException(
          "train.device must be one of auto, cpu, gpu, gpus=N (N >= 1), but was '" + device + "'");
    }
    if (prefetchBatches < 0 || prefetchBatches > 1024) {
      throw new IllegalArgumentException("train.prefetchBatches must be in [0, 1024], but was " + prefetchBatches);
    }
    if (schedule == null) {
      throw new IllegalArgumentException(
          "train.schedule must be one of " + List.of(LrSchedule.values()) + ", but was null");
    }
    if (logEverySteps < 1) {
      throw new IllegalArgumentException("train.logEverySteps must be >= 1, but was " + logEverySteps);
    }
    if (shuffleBlockRows < 1 || shuffleBlockRows > 1 << 16) {
      throw new IllegalArgumentException("train.shuffleBlockRows must be in [1, 65536] (1 shuffles single rows), but "
          + "was " + shuffleBlockRows);
    }
    if (loss == null || LossFactory.registry().find(loss).isEmpty()) {
      throw new IllegalArgumentException("train.loss must be one of " + LossFactory.registry().names() + ", but was "
          + (loss == null ? "null" : "'" + loss + "'") + " (a loss of your own needs its LossFactory registered in "
          + "META-INF/services/" + LossFactory.class.getName() + ")");
    }
    if (checkpoint == null) {
      checkpoint = CheckpointSpec.defaults();
    }
    if (online != null && (online.resizeWidth() != model.width() || online.resizeHeight() != model.height())) {
      throw new IllegalArgumentException("train.online resizes to " + online.resizeWidth() + "x"
          + online.resizeHeight() + " (WxH), but train.model takes " + model.width() + "x" + model.height()
          + "; set train.online.resizeWidth and train.online.resizeHeight to the model's input size");
    }
  }

  /**
   * 10 epochs, batch 128, Adam at 1e-3, device {@code auto}, 4 prefetched batches, metrics every 50 steps, the
   * experiment's seed.
   */
  public static TrainSpec defaults(ModelSpec model) {
    return new TrainSpec(
        model, 10, 128, 1e-3, OptimizerKind.ADAM, 0, "auto", 4, 50, null, LrSchedule.CONSTANT, null, 1,
        dev.tessera.stages.train.models.CrossEntropy.NAME, CheckpointSpec.defaults());
  }

  public TrainSpec withSchedule(LrSchedule schedule) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches, logEverySteps, seed,
        schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  /** A copy with its own seed instead of the experiment's; {@code null} goes back to the experiment seed. */
  public TrainSpec withSeed(Long seed) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  public TrainSpec withModel(ModelSpec model) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  public TrainSpec withEpochs(int epochs) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  public TrainSpec withBatchSize(int batchSize) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  public TrainSpec withLearningRate(double learningRate) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  /** Adam (momentum must be 0). */
  public TrainSpec withAdam() {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, OptimizerKind.ADAM, 0, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  /** SGD with the given momentum in [0, 1). */
  public TrainSpec withSgd(double momentum) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, OptimizerKind.SGD, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  public TrainSpec withDevice(String device) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  public TrainSpec withPrefetchBatches(int prefetchBatches) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  public TrainSpec withLogEverySteps(int logEverySteps) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  /** A copy that prepares samples online (see {@link OnlineSpec}); {@code null} trains on float shards as is. */
  public TrainSpec withOnline(OnlineSpec online) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  /** A copy that trains with the registered loss of that name. */
  public TrainSpec withLoss(String loss) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  /** A copy that writes checkpoints as {@code checkpoint} says. */
  public TrainSpec withCheckpoint(CheckpointSpec checkpoint) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, shuffleBlockRows, loss, checkpoint);
  }

  /** A copy that shuffles float shards in blocks of {@code rows} rows (1: single rows). */
  public TrainSpec withShuffleBlockRows(int rows) {
    return new TrainSpec(
        model, epochs, batchSize, learningRate, optimizer, momentum, device, prefetchBatches,
        logEverySteps, seed, schedule, online, rows, loss, checkpoint);
  }
}
