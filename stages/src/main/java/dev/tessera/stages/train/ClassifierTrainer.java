package dev.tessera.stages.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import dev.tessera.stages.train.internal.CheckpointStore;
import dev.tessera.stages.train.internal.EngineState;
import dev.tessera.stages.train.internal.LoggedSteps;
import dev.tessera.stages.train.internal.MetricsListener;
import dev.tessera.stages.train.internal.RememberedLoss;
import dev.tessera.stages.train.internal.ModelDirectory;
import dev.tessera.stages.train.internal.NativeHeap;
import dev.tessera.stages.train.internal.StatefulOptimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongToDoubleFunction;

/**
 * Trains an image classifier with DJL's PyTorch engine and saves it as a model directory.
 *
 * <pre>{@code
 * TrainSpec spec = TrainSpec.defaults(Models.lenet()).withEpochs(3);
 * try (BatchSource train = new ArrayBatchSource(images, labels, Devices.plan(spec).effectiveBatchSize(), seed, true)) {
 *   TrainingResult result = ClassifierTrainer.train(spec, seed, train, null, TrainingCallbacks.none(), dir);
 * }
 * try (ClassifierPredictor predictor = ClassifierTrainer.load(dir)) { int[] classes = predictor.predict(batch); }
 * }</pre>
 *
 * <p>Determinism: the engine's random seed is set from {@code seed} before the weights are initialized, so on a
 * CPU the same seed, data order and thread count give bit-identical losses. GPUs (cuDNN) may not.
 */
public final class ClassifierTrainer {
  /**
   * The metric logged after each training epoch (at its last step): the fraction of the epoch's wall time the
   * trainer spent waiting for its next batch, in [0, 1]. Near 0 means the data path keeps up with the model.
   */
  public static final String DATA_WAIT_METRIC = "train/data_wait_fraction";

  private ClassifierTrainer() {}

  /**
   * Trains a classifier and saves it into {@code modelDir}.
   *
   * <p>Each batch from {@code train} is one optimizer step; with {@code gpus=N} build the sources with
   * {@link DevicePlan#effectiveBatchSize()} ({@link Devices#plan(TrainSpec)}) so every device gets
   * {@code batchSize} samples. Sources are wrapped in a {@link PrefetchingBatchSource} when
   * {@code spec.prefetchBatches() > 0}; they are not closed here.
   *
   * @param spec model, schedule, optimizer and device
   * @param seed the seed for weight initialization (the sources have their own for shuffling)
   * @param train training batches; epoch {@code e} (0-based) is read once in epoch {@code e}
   * @param validation validation batches read after every epoch, or null
   * @param callbacks metrics, progress and cancellation
   * @param modelDir where to save the model: created if missing, best empty (a stage's output directory is)
   * @throws InterruptedException when {@code callbacks.checkCancelled()} says the run was cancelled
   */
  public static TrainingResult train(
      TrainSpec spec,
      long seed,
      BatchSource train,
      BatchSource validation,
      TrainingCallbacks callbacks,
      Path modelDir)
      throws IOException, InterruptedException {
    return train(spec, seed, train, validation, callbacks, modelDir, null);
  }

  /**
   * As {@link #train(TrainSpec, long, BatchSource, BatchSource, TrainingCallbacks, Path)}, writing full-state
   * checkpoints as {@code spec.checkpoint()} says, and continuing from the newest valid one that {@code checkpoints}
   * already holds. On a CPU the result is the same, bit for bit, as that of an uninterrupted call: the weights, the
   * optimizer state, the learning-rate position, the data order (epoch and batch), the epoch's metric totals and the
   * engine's random generator (reseeded from (seed, step) before each step) all continue where they stood. Metric
   * points logged before the interruption are not logged again.
   *
   * @param checkpoints where to keep checkpoints, or null for none
   */
  public static TrainingResult train(
      TrainSpec spec,
      long seed,
      BatchSource train,
      BatchSource validation,
      TrainingCallbacks callbacks,
      Path modelDir,
      Checkpoints checkpoints)
      throws IOException, InterruptedException {
    Instant start = Instant.now();
    DevicePlan plan = Devices.plan(spec);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("devices", plan.describe());
    params.put("effective_batch_size", Integer.toString(plan.effectiveBatchSize()));
    params.put("effective_learning_rate", Double.toString(plan.effectiveLearningRate()));

    Engine engine = Engine.getInstance();
    // Steps free all their arrays at once; without this the C heap returns that memory to the kernel after every
    // step and faults it back in during the next (a third of a LeNet step's CPU time).
    NativeHeap.keepFreedMemory();
    ModelSpec modelSpec = spec.model();
    BatchSource trainSource = prefetching(train, spec);
    BatchSource validationSource = validation == null ? null : prefetching(validation, spec);
    long batchesPerEpoch = train.batchesPerEpoch().orElse(-1);
    CheckpointStore store = checkpoints == null ? null : new CheckpointStore(
        checkpoints.directory(), checkpoints.fingerprint(), spec.checkpoint().keepLast(), callbacks::log);

    try (Model model = Model.newInstance(ModelMetadata.MODEL_NAME, plan.devices().get(0));
        NDManager stateManager = model.getNDManager().newSubManager();
        LoggedSteps logged = store == null ? null : new LoggedSteps(store.directory())) {
      TrainingCallbacks reporting = logged == null ? callbacks : logged.filter(callbacks);
      reporting.params(params);
      model.setBlock(Models.newBlock(modelSpec));
      StatefulOptimizer optimizer = new StatefulOptimizer(spec.optimizer(),
          learningRates(spec, plan.effectiveLearningRate(), batchesPerEpoch), stateManager);
      MetricsListener listener = new MetricsListener(reporting, spec.logEverySteps(), modelSpec.labelsPerSample());
      // The listener logs the loss the step computed (remembered) instead of evaluating it again.
      DefaultTrainingConfig config = new DefaultTrainingConfig(
          new RememberedLoss(LossFactory.registry().get(spec.loss()).newLoss()))
          .optOptimizer(optimizer)
          .optDevices(plan.deviceArray())
          .addTrainingListeners(listener);
      List<EpochMetrics> history = new ArrayList<>();
      TrainingLoop loop;
      try (Trainer trainer = model.newTrainer(config)) {
        // The engine's generator is one per process: trainings side by side (a sweep's slots) must not draw
        // each other's initial weights.
        EngineState.initialize(trainer, seed,
            new Shape(1, modelSpec.channels(), modelSpec.height(), modelSpec.width()));
        Map<String, String> names = new LinkedHashMap<>();
        model.getBlock().getParameters().forEach(p -> names.put(p.getValue().getId(), p.getKey()));
        optimizer.bind(names);
        loop = new TrainingLoop(spec, seed, trainer, optimizer, listener, reporting, store, history, stateManager);
        if (!loop.resume(stateManager) && logged != null) {
          logged.clear();
        }
        loop.run(trainSource, validationSource);
      }
      Map<String, NDArray> ema = loop.finish();
      // Saved after the trainer is closed: closing syncs the parameters from the devices back into the model.
      int epochs = history.size();
      ModelMetadata metadata = new ModelMetadata(
          ModelMetadata.FORMAT, ModelMetadata.MODEL_NAME,
          String.format(java.util.Locale.ROOT, "%s-%04d.params", ModelMetadata.MODEL_NAME, epochs),
          spec, seed, epochs, listener.steps(), plan.describe(), Engine.getDjlVersion(),
          engine.getEngineName(), engine.getVersion(), Runtime.version().toString(),
          UUID.randomUUID().toString().replace("-", ""), Instant.now().toString(), loop.outputEpoch(),
          ema == null ? null : String.format(java.util.Locale.ROOT, "%s-%04d.params", EMA_NAME, epochs));
      save(model, modelDir, metadata);
      if (ema != null) {
        // Beside the output weights: the same block with the averaged values, under the name "ema".
        for (var parameter : model.getBlock().getParameters()) {
          parameter.getValue().getArray().set(copyOf(ema.get(parameter.getKey())));
        }
        model.save(modelDir, EMA_NAME);
      }
      return new TrainingResult(
          modelDir, metadata, plan, history, listener.steps(), Duration.between(start, Instant.now()));
    }
  }

  /** The DJL model name the EMA weights are saved under in the model directory. */
  public static final String EMA_NAME = "ema";

  /** A direct buffer of our own holding the array's values (the engine may keep pointing at it). */
  static java.nio.ByteBuffer copyOf(NDArray array) {
    java.nio.ByteBuffer values = array.toByteBuffer();
    java.nio.ByteBuffer copy = java.nio.ByteBuffer.allocateDirect(values.remaining())
        .order(java.nio.ByteOrder.nativeOrder());
    copy.put(values).rewind();
    return copy;
  }

  /** Loads a model directory written by {@link #train} for prediction. */
  public static ClassifierPredictor load(Path modelDir) throws IOException {
    return ClassifierPredictor.load(modelDir);
  }

  /** The learning rate of each update (1-based): the scaled rate times the schedule's factor. */
  private static LongToDoubleFunction learningRates(TrainSpec spec, double rate, long batchesPerEpoch) {
    ScheduleSpec schedule = spec.schedule();
    boolean constant = schedule.kind() == LrSchedule.CONSTANT && schedule.warmupEpochs() == 0;
    if (batchesPerEpoch <= 0 && !constant) {
      throw new IllegalArgumentException("train.schedule " + schedule.kind() + (schedule.warmupEpochs() > 0
          ? " with warm-up" : "") + " needs the number of batches per epoch, but the training source does not "
          + "know it; use kind CONSTANT without warm-up, or a source that knows its size");
    }
    long total = batchesPerEpoch * spec.epochs();
    return t -> constant ? rate : rate * schedule.factor(t, batchesPerEpoch, total);
  }

  private static BatchSource prefetching(BatchSource source, TrainSpec spec) {
    return spec.prefetchBatches() > 0 ? new PrefetchingBatchSource(source, spec.prefetchBatches()) : source;
  }

  static Batch toBatch(
      NDManager manager, ImageBatch batch, ModelSpec spec, int epoch, long index, long total) {
    try {
      int n = batch.count();
      int sampleSize = spec.sampleSize();
      if (batch.images().length < (long) n * sampleSize) {
        throw new IllegalArgumentException(
            "Batch " + index + " of epoch " + (epoch + 1) + " has " + batch.images().length + " floats for " + n
                + " samples, but the model needs " + n + " x " + spec.channels() + "x" + spec.height() + "x"
                + spec.width() + " = " + (long) n * sampleSize + " (NCHW)");
      }
      int perSample = spec.labelsPerSample();
      if (batch.labels().length < (long) n * perSample) {
        throw new IllegalArgumentException("Batch " + index + " of epoch " + (epoch + 1) + " has "
            + batch.labels().length + " labels for " + n + " samples, but " + spec.architecture() + " needs "
            + perSample + " per sample" + (perSample > 1 ? " (a mask of " + spec.height() + "x" + spec.width()
            + ")" : ""));
      }
      long[] labels = new long[n * perSample];
      for (int i = 0; i < labels.length; i++) {
        int label = batch.labels()[i];
        if (label < 0 || label >= spec.classes()) {
          throw new IllegalArgumentException(
              "Batch " + index + " of epoch " + (epoch + 1) + ": labels[" + i + "] must be in [0, "
                  + spec.classes() + "), but was " + label + " (model.classes is " + spec.classes() + ")");
        }
        labels[i] = label;
      }
      float[] images = batch.images().length == n * sampleSize
          ? batch.images()
          : java.util.Arrays.copyOf(batch.images(), n * sampleSize);
      NDArray x = manager.create(images, new Shape(n, spec.channels(), spec.height(), spec.width()));
      NDArray y = perSample == 1 ? manager.create(labels)
          : manager.create(labels, new Shape(n, spec.height(), spec.width()));
      return new Batch(manager, new NDList(x), new NDList(y), n, Batchifier.STACK, Batchifier.STACK, index, total);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static void save(Model model, Path modelDir, ModelMetadata metadata) throws IOException {
    Files.createDirectories(modelDir);
    model.setProperty("Epoch", Integer.toString(metadata.epochs()));
    model.save(modelDir, metadata.modelName());
    ModelDirectory.writeMetadata(modelDir, metadata);
    ModelDirectory.writeMlmodel(modelDir, metadata, ClassifierPredictor.class.getName());
  }
}
