package dev.tessera.stages.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.pipelines.dag.StageSpec;
import java.util.regex.Pattern;

/**
 * How to train a classifier: model, epochs and batches, optimizer and learning-rate schedule, device, seed and
 * checkpoints. Settings that belong together are nested records, so overrides read like paths:
 * {@code --set train.optimizer.learningRate=0.01 --set train.schedule.warmupEpochs=1}.
 *
 * <pre>{@code
 * TrainSpec spec = TrainSpec.defaults(Models.lenet()).withEpochs(3).withDevice("cpu")
 *     .withOptimizer(OptimizerSpec.sgd(0.1, 0.9).withNesterov(true)).withSchedule(ScheduleSpec.cosine());
 * }</pre>
 *
 * @param model which classifier, its input shape and classes
 * @param epochs passes over the training data, >= 1
 * @param batchSize samples per step and per device, >= 1; with {@code gpus=N} the effective batch is N times this
 * @param optimizer update rule, learning rate, momentum, weight decay, clipping, learning-rate scaling
 *     ({@link OptimizerSpec})
 * @param schedule warm-up and the learning rate's shape over the steps ({@link ScheduleSpec})
 * @param device {@code auto} (GPUs if present, else CPU), {@code cpu}, {@code gpu} (the first GPU) or
 *     {@code gpus=N} (data parallel over the first N GPUs)
 * @param prefetchBatches batches prepared ahead on a background thread, in [0, 1024]; 0 disables prefetching
 * @param logEverySteps report {@code train/loss}, {@code train/accuracy} and {@code train/lr} every this many
 *     steps, >= 1
 * @param seed an explicit override of the experiment seed for this stage (weight initialization, batch shuffling,
 *     online augmentation), or {@code null} (the default) to use the experiment seed, the root of all randomness;
 *     the same seed gives the same model on CPU
 * @param online the online path ({@link OnlineSpec}: train on uint8 shards, augmented afresh each epoch), or
 *     {@code null} to train on preprocessed float shards as they are
 * @param shuffleBlockRows rows of a float shard that stay together when an epoch is shuffled, in [1, 65536]; 1
 *     (the default) shuffles single rows. Blocks of 16 read about twice as fast (BENCHMARKS.md, P3) at
 *     the price of neighbouring rows sharing batches more often; block boundaries move every epoch. Not used by the
 *     online path, whose cost is in its kernels.
 * @param loss a registered {@link LossFactory} name; {@code cross-entropy} by default, {@code bce-dice} for a
 *     per-pixel model; a loss that cannot score per-pixel logits is refused for one
 * @param checkpoint when to write full-state checkpoints and how many to keep ({@link CheckpointSpec}); the train
 *     stage resumes from them after a crash
 * @param validation what the stage validates on after each epoch ({@link ValidationSpec}); none by default
 * @param earlyStopping when to stop early and which weights to output ({@link EarlyStoppingSpec})
 * @param ema an exponential moving average of the weights ({@link EmaSpec}); off by default
 */
public record TrainSpec(
    ModelSpec model,
    int epochs,
    int batchSize,
    OptimizerSpec optimizer,
    ScheduleSpec schedule,
    String device,
    int prefetchBatches,
    int logEverySteps,
    Long seed,
    @JsonInclude(JsonInclude.Include.NON_NULL) OnlineSpec online,
    int shuffleBlockRows,
    String loss,
    CheckpointSpec checkpoint,
    ValidationSpec validation,
    EarlyStoppingSpec earlyStopping,
    EmaSpec ema)
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
    if (optimizer == null) {
      throw new IllegalArgumentException(
          "train.optimizer must be set (for example OptimizerSpec.adam(1e-3)), but was null");
    }
    if (schedule == null) {
      throw new IllegalArgumentException(
          "train.schedule must be set (for example ScheduleSpec.cosine()), but was null");
    }
    schedule.checkAgainst(epochs);
    if (device == null || !DEVICE.matcher(device).matches()) {
      throw new IllegalArgumentException(
          "train.device must be one of auto, cpu, gpu, gpus=N (N >= 1), but was '" + device + "'");
    }
    if (prefetchBatches < 0 || prefetchBatches > 1024) {
      throw new IllegalArgumentException("train.prefetchBatches must be in [0, 1024], but was " + prefetchBatches);
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
    if (model != null && model.factory().perPixel() && !LossFactory.registry().get(loss).perPixel()) {
      throw new IllegalArgumentException("train.loss '" + loss + "' cannot score the per-pixel logits of train.model "
          + model.architecture() + "; choose one of " + LossFactory.registry().entries().stream()
          .map(e -> e.value()).filter(LossFactory::perPixel).map(LossFactory::name).sorted().toList()
          + " (bce-dice for binary masks)");
    }
    checkpoint = checkpoint == null ? CheckpointSpec.defaults() : checkpoint;
    validation = validation == null ? ValidationSpec.none() : validation;
    earlyStopping = earlyStopping == null ? EarlyStoppingSpec.defaults() : earlyStopping;
    ema = ema == null ? EmaSpec.off() : ema;
    if (online != null && (online.resizeWidth() != model.width() || online.resizeHeight() != model.height())) {
      throw new IllegalArgumentException("train.online resizes to " + online.resizeWidth() + "x"
          + online.resizeHeight() + " (WxH), but train.model takes " + model.width() + "x" + model.height()
          + "; set train.online.resizeWidth and train.online.resizeHeight to the model's input size");
    }
  }

  /**
   * 10 epochs, batch 128, Adam at 1e-3 at a constant rate, device {@code auto}, 4 prefetched batches, metrics every
   * 50 steps, the experiment's seed, a checkpoint every epoch.
   */
  public static TrainSpec defaults(ModelSpec model) {
    return new TrainSpec(model, 10, 128, OptimizerSpec.adam(1e-3), ScheduleSpec.constant(), "auto", 4, 50, null,
        null, 1, model != null && model.factory().perPixel() ? dev.tessera.stages.train.models.BceDiceLoss.NAME
            : dev.tessera.stages.train.models.CrossEntropy.NAME, CheckpointSpec.defaults(), ValidationSpec.none(),
        EarlyStoppingSpec.defaults(), EmaSpec.off());
  }

  public TrainSpec withModel(ModelSpec model) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  public TrainSpec withEpochs(int epochs) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  public TrainSpec withBatchSize(int batchSize) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  public TrainSpec withOptimizer(OptimizerSpec optimizer) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  public TrainSpec withSchedule(ScheduleSpec schedule) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  /** A copy with the optimizer's learning rate changed (its rule and other settings kept). */
  public TrainSpec withLearningRate(double learningRate) {
    return withOptimizer(optimizer.withLearningRate(learningRate));
  }

  /** Adam at the current learning rate. */
  public TrainSpec withAdam() {
    return withOptimizer(OptimizerSpec.adam(optimizer.learningRate()));
  }

  /** SGD at the current learning rate with the given momentum in [0, 1). */
  public TrainSpec withSgd(double momentum) {
    return withOptimizer(OptimizerSpec.sgd(optimizer.learningRate(), momentum));
  }

  public TrainSpec withDevice(String device) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  public TrainSpec withPrefetchBatches(int prefetchBatches) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  public TrainSpec withLogEverySteps(int logEverySteps) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  /** A copy with its own seed instead of the experiment's; {@code null} goes back to the experiment seed. */
  public TrainSpec withSeed(Long seed) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  /** A copy that prepares samples online (see {@link OnlineSpec}); {@code null} trains on float shards as is. */
  public TrainSpec withOnline(OnlineSpec online) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  /** A copy that shuffles float shards in blocks of {@code rows} rows (1: single rows). */
  public TrainSpec withShuffleBlockRows(int rows) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, rows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  /** A copy that trains with the registered loss of that name. */
  public TrainSpec withLoss(String loss) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }

  /** A copy that validates as {@code validation} says. */
  public TrainSpec withValidation(ValidationSpec validation) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation, earlyStopping, ema);
  }

  /** A copy that stops early and picks its output as {@code earlyStopping} says. */
  public TrainSpec withEarlyStopping(EarlyStoppingSpec earlyStopping) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation, earlyStopping, ema);
  }

  /** A copy that keeps an EMA of the weights as {@code ema} says. */
  public TrainSpec withEma(EmaSpec ema) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation, earlyStopping, ema);
  }

  /** A copy that writes checkpoints as {@code checkpoint} says. */
  public TrainSpec withCheckpoint(CheckpointSpec checkpoint) {
    return new TrainSpec(model, epochs, batchSize, optimizer, schedule, device, prefetchBatches, logEverySteps, seed,
        online, shuffleBlockRows, loss, checkpoint, validation,
        earlyStopping, ema);
  }
}
