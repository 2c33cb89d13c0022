package dev.tessera.stages.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Pair;
import dev.tessera.stages.train.internal.CheckpointStore;
import dev.tessera.stages.train.internal.EngineState;
import dev.tessera.stages.train.internal.MetricsListener;
import dev.tessera.stages.train.internal.StatefulOptimizer;
import dev.tessera.stages.train.internal.TrainingState;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The epochs and steps of one {@link ClassifierTrainer#train} call: resuming from a checkpoint, training and
 * validating, and writing checkpoints when they are due. Kept apart from the trainer's set-up so each reads on
 * its own.
 */
final class TrainingLoop {
  private static final String PARAM = "param/";
  private static final String OPTIMIZER = "optimizer/";
  private static final String EMA = "ema/";

  private final TrainSpec spec;
  private final long seed;
  private final Trainer trainer;
  private final StatefulOptimizer optimizer;
  private final MetricsListener listener;
  private final TrainingCallbacks callbacks;
  private final CheckpointStore store;
  private final List<EpochMetrics> history;
  private final NDManager stateManager;
  /** The moving average of every parameter, by name; null without EMA. */
  private final Map<String, NDArray> ema;
  /** The best epoch's weights in this process, by name; null until a validation improved in it. */
  private Map<String, NDArray> bestWeights;
  private int startEpoch;
  private long skipBatches;
  private boolean stoppedEarly;
  /** Nanoseconds of the current epoch spent waiting in the source's {@code hasNext()} and {@code next()}. */
  private long dataWaitNanos;
  private TrainingState.Best best = TrainingState.Best.none();
  /**
   * The model's parameters when the trainer runs on one device (its arrays are then the parameters' own, updated
   * in place by {@link StatefulOptimizer#updateAll}); null with several devices, where DJL's {@code step()}
   * reduces the devices' gradients first.
   */
  private final List<Parameter> trainable;

  TrainingLoop(TrainSpec spec, long seed, Trainer trainer, StatefulOptimizer optimizer, MetricsListener listener,
      TrainingCallbacks callbacks, CheckpointStore store, List<EpochMetrics> history, NDManager stateManager) {
    this.spec = spec;
    this.seed = seed;
    this.trainer = trainer;
    this.optimizer = optimizer;
    this.listener = listener;
    this.callbacks = callbacks;
    this.store = store;
    this.history = history;
    this.stateManager = stateManager;
    this.ema = spec.ema().enabled() ? copyOfParameters() : null;
    this.trainable = StatefulOptimizer.inPlace(trainer);
  }

  /** A copy of every parameter's current values, by name, owned by the state manager. */
  private Map<String, NDArray> copyOfParameters() {
    Map<String, NDArray> copy = new LinkedHashMap<>();
    for (Pair<String, Parameter> parameter : parameters()) {
      NDArray values = parameter.getValue().getArray().duplicate();
      values.attach(stateManager);
      copy.put(parameter.getKey(), values);
    }
    return copy;
  }

  private List<Pair<String, Parameter>> parameters() {
    return trainer.getModel().getBlock().getParameters().stream().toList();
  }

  /**
   * Continues from the newest valid checkpoint, if there is one: weights, optimizer state and schedule position,
   * metric totals, history, and where in which epoch to go on.
   *
   * @return whether a checkpoint was restored
   */
  boolean resume(NDManager manager) throws IOException {
    if (store == null) {
      return false;
    }
    Optional<CheckpointStore.Loaded> found = store.newest(spec.model(), manager);
    if (found.isEmpty()) {
      return false;
    }
    TrainingState state = found.get().state();
    Map<String, NDArray> tensors = found.get().tensors();
    if (state.epoch() > spec.epochs() || (state.epoch() == spec.epochs() && state.batchInEpoch() > 0)) {
      // The fingerprint leaves epochs out so a run can go on to more; it never goes back to fewer.
      tensors.values().forEach(NDArray::close);
      callbacks.log("checkpoint " + found.get().path().getFileName() + " stands in epoch " + (state.epoch() + 1)
          + ", past train.epochs=" + spec.epochs() + "; not resumed, training afresh");
      return false;
    }
    for (Pair<String, Parameter> parameter : parameters()) {
      NDArray saved = tensors.remove(PARAM + parameter.getKey());
      if (saved == null) {
        throw new IllegalStateException("Checkpoint " + found.get().path() + " has no value for parameter '"
            + parameter.getKey() + "'; it was written by another version of the model. Delete "
            + store.directory() + " to start afresh.");
      }
      copyInto(saved, parameter.getValue().getArray(), parameter.getKey());
      saved.close();
    }
    Map<String, NDArray> optimizerState = new LinkedHashMap<>();
    tensors.forEach((key, value) -> {
      if (key.startsWith(OPTIMIZER)) {
        optimizerState.put(key.substring(OPTIMIZER.length()), value);
      }
    });
    optimizer.restore(state.step(), optimizerState);
    if (ema != null) {
      for (Map.Entry<String, NDArray> entry : ema.entrySet()) {
        NDArray saved = tensors.get(EMA + entry.getKey());
        if (saved == null) {
          throw new IllegalStateException("Checkpoint " + found.get().path() + " has no EMA of parameter '"
              + entry.getKey() + "', but train.ema is on; delete " + store.directory() + " to start afresh.");
        }
        copyInto(saved, entry.getValue(), EMA + entry.getKey());
      }
    }
    stoppedEarly = state.stoppedEarly();
    listener.restore(state.metrics());
    history.addAll(state.history());
    best = state.best();
    startEpoch = state.epoch();
    skipBatches = state.batchInEpoch();
    callbacks.log("resuming from checkpoint " + found.get().path().getFileName() + ": epoch " + (state.epoch() + 1)
        + ", " + state.batchInEpoch() + " batches into it, step " + state.step());
    return true;
  }

  /** Trains the remaining epochs. */
  void run(BatchSource train, BatchSource validation) throws IOException, InterruptedException {
    for (int epoch = startEpoch; epoch < spec.epochs() && !stoppedEarly; epoch++) {
      long epochStart = System.nanoTime();
      trainEpoch(train, epoch, epoch == startEpoch ? skipBatches : 0);
      if (validation != null) {
        validateEpoch(validation, epoch);
        if (ema != null) {
          Map<String, NDArray> raw = copyOfParameters();
          setParameters(ema);
          listener.emaPhase(true);
          try {
            validateEpoch(validation, epoch);
          } finally {
            listener.emaPhase(false);
            setParameters(raw);
            raw.values().forEach(NDArray::close);
          }
        }
      }
      trainer.notifyListeners(l -> l.onEpoch(trainer));
      history.add(new EpochMetrics(
          epoch + 1, listener.lastTrainLoss(), listener.lastTrainAccuracy(), listener.lastValidationLoss(),
          listener.lastValidationAccuracy(), listener.steps(), (System.nanoTime() - epochStart) / 1e9));
      if (validation != null) {
        judge(epoch + 1);
      }
      if (store != null && (epoch + 1 == spec.epochs() || stoppedEarly
          || spec.checkpoint().due(listener.steps(), epoch + 1, true))) {
        save(epoch + 1, 0);
      }
    }
  }

  /** Tracks the best validation result, keeps its weights, and decides on early stopping. */
  private void judge(int epoch) throws IOException {
    EarlyStoppingSpec rule = spec.earlyStopping();
    double value = rule.monitor() == EarlyStoppingSpec.Monitor.LOSS
        ? listener.lastValidationLoss() : listener.lastValidationAccuracy();
    if (rule.improves(value, best.value())) {
      best = new TrainingState.Best(value, epoch, 0);
      if (bestWeights != null) {
        bestWeights.values().forEach(NDArray::close);
      }
      bestWeights = copyOfParameters();
      if (store != null) {
        store.saveBest(epoch, bestWeights);
      }
      return;
    }
    best = new TrainingState.Best(best.value(), best.epoch(), best.epochsWithoutImprovement() + 1);
    if (rule.patience() > 0 && best.epochsWithoutImprovement() >= rule.patience()) {
      stoppedEarly = true;
      callbacks.log("stopping early after epoch " + epoch + ": val/" + rule.monitor().name().toLowerCase(
          java.util.Locale.ROOT) + " has not improved by more than " + rule.minDelta() + " for " + rule.patience()
          + " epochs (best " + best.value() + " in epoch " + best.epoch() + ")");
    }
  }

  /**
   * Puts the weights the stage outputs into the model ({@code earlyStopping.output}: the best epoch's, or the last)
   * and returns the EMA weights to save beside them (null without EMA). Call after the trainer is closed.
   */
  Map<String, NDArray> finish() throws IOException {
    if (spec.earlyStopping().output() == EarlyStoppingSpec.ModelChoice.BEST && best.epoch() > 0
        && best.epoch() != history.size()) {
      Map<String, NDArray> weights = bestWeights;
      if (weights == null && store != null) {
        weights = store.best(best.epoch(), stateManager).orElse(null);
      }
      if (weights != null) {
        setParameters(weights);
        callbacks.log("the model is epoch " + best.epoch() + "'s, the best by val/" + spec.earlyStopping().monitor()
            .name().toLowerCase(java.util.Locale.ROOT) + " (" + best.value() + ")");
      }
    }
    return ema;
  }

  /** The epoch the output weights come from (1-based). */
  int outputEpoch() {
    return spec.earlyStopping().output() == EarlyStoppingSpec.ModelChoice.BEST && best.epoch() > 0
        ? best.epoch() : history.size();
  }

  private void setParameters(Map<String, NDArray> values) {
    for (Pair<String, Parameter> parameter : parameters()) {
      copyInto(values.get(parameter.getKey()), parameter.getValue().getArray(), parameter.getKey());
    }
  }

  private void updateEma() {
    float decay = (float) spec.ema().decayAt(optimizer.updates());
    try (NDScope scope = new NDScope()) {
      for (Pair<String, Parameter> parameter : parameters()) {
        NDArray average = ema.get(parameter.getKey());
        average.muli(decay).addi(parameter.getValue().getArray().stopGradient().mul(1 - decay));
      }
    }
  }

  private void trainEpoch(BatchSource source, int epoch, long skip) throws IOException, InterruptedException {
    long total = source.batchesPerEpoch().orElse(-1);
    long index = 0;
    long started = System.nanoTime();
    dataWaitNanos = 0;
    try (BatchSource.Cursor cursor = source.epoch(epoch)) {
      // The order is a function of (seed, epoch): skipping the batches already trained puts us where we stopped.
      while (index < skip && cursor.hasNext()) {
        cursor.release(cursor.next());
        index++;
      }
      if (index < skip) {
        throw new IllegalStateException("The checkpoint stood " + skip + " batches into epoch " + (epoch + 1)
            + ", but the training data now yields only " + index + " batches in that epoch");
      }
      each(cursor, epoch, index, total, "train", (batch, at) -> {
        long step = listener.steps() + 1;
        synchronized (EngineState.LOCK) {
          // Dropout and other random layers draw from the engine's generator: reseeding it per step makes a
          // resumed run draw what the uninterrupted one drew, without saving the generator's state (DJL cannot
          // read it).
          Engine.getInstance().setRandomSeed(stepSeed(seed, step));
          EasyTrain.trainBatch(trainer, batch);
        }
        double norm = spec.optimizer().clipGradNorm() > 0 ? gradientNorm() : Double.NaN;
        double max = spec.optimizer().clipGradNorm();
        float learningRate = optimizer.beginStep(norm > max ? (float) (max / (norm + 1e-6)) : 1f);
        optimizer.step(trainer, trainable);
        if (ema != null) {
          updateEma();
        }
        if (step % spec.logEverySteps() == 0) {
          callbacks.metric("train/lr", learningRate, step);
          if (!Double.isNaN(norm)) {
            callbacks.metric("train/grad_norm", norm, step);
          }
        }
      }, at -> {
        if (store != null && spec.checkpoint().due(listener.steps(), epoch, false)) {
          save(epoch, at);
        }
      });
    }
    // How much of the epoch the trainer sat waiting for its next batch: near 0 when the source keeps up.
    double epochNanos = Math.max(1, System.nanoTime() - started);
    callbacks.metric(ClassifierTrainer.DATA_WAIT_METRIC, dataWaitNanos / epochNanos, listener.steps());
  }

  private void validateEpoch(BatchSource source, int epoch) throws IOException, InterruptedException {
    try (BatchSource.Cursor cursor = source.epoch(epoch)) {
      each(cursor, epoch, 0, source.batchesPerEpoch().orElse(-1), "validate",
          (batch, at) -> EasyTrain.validateBatch(trainer, batch), at -> {});
    }
  }

  /** What to do with one batch (as tensors), and after it (with the batch's 1-based index in the epoch). */
  private interface BatchWork<T> {
    void accept(T value, long index) throws IOException;
  }

  /** What to do once a batch's tensors are closed, given its 1-based index in the epoch. */
  private interface AfterBatch {
    void accept(long index) throws IOException;
  }

  /**
   * Feeds the cursor's remaining batches to {@code work} one by one, checking for cancellation before each and
   * reporting progress after each.
   *
   * @param done batches of this epoch already consumed
   * @return the batches of the epoch consumed in all
   */
  private long each(BatchSource.Cursor cursor, int epoch, long done, long total, String phase,
      BatchWork<Batch> work, AfterBatch after) throws IOException, InterruptedException {
    long index = done;
    while (true) {
      callbacks.checkCancelled();
      long waitStart = System.nanoTime();
      if (!cursor.hasNext()) {
        break;
      }
      ImageBatch imageBatch = cursor.next();
      dataWaitNanos += System.nanoTime() - waitStart;
      index++;
      try (Batch batch = ClassifierTrainer.toBatch(
          trainer.getManager().newSubManager(), imageBatch, spec.model(), epoch, index, total)) {
        // toBatch copied the arrays into tensors (DJL copies a heap array on create): the source may refill them.
        cursor.release(imageBatch);
        work.accept(batch, index);
      }
      callbacks.progress(epoch + 1, index, total, phase + " epoch " + (epoch + 1) + "/" + spec.epochs());
      after.accept(index);
    }
    if (index == 0) {
      throw new IllegalStateException(
          "The " + phase + " source yielded no batches in epoch " + (epoch + 1) + " (0-based " + epoch + ")");
    }
    return index;
  }

  private void save(int epoch, long batchInEpoch) throws IOException {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Pair<String, Parameter> parameter : trainer.getModel().getBlock().getParameters()) {
      tensors.put(PARAM + parameter.getKey(), parameter.getValue().getArray());
    }
    optimizer.state().forEach((key, value) -> tensors.put(OPTIMIZER + key, value));
    if (ema != null) {
      ema.forEach((name, value) -> tensors.put(EMA + name, value));
    }
    TrainingState state = new TrainingState(TrainingState.FORMAT, null, spec.model(), seed, epoch, batchInEpoch,
        listener.steps(), listener.snapshot(), history, best, stoppedEarly, null, Instant.now().toString());
    store.save(state, tensors);
  }

  /**
   * The global L2 norm of the gradients (before clipping). On one device these are the gradients the optimizer
   * applies; with several devices, those of the first device's share of the batch (DJL keeps the others' copies
   * out of reach until it sums them inside {@code step()}).
   */
  private double gradientNorm() {
    try (NDScope scope = new NDScope()) {
      NDList squares = new NDList();
      for (Pair<String, Parameter> parameter : trainer.getModel().getBlock().getParameters()) {
        if (parameter.getValue().requiresGradient()) {
          NDArray gradient = parameter.getValue().getArray().getGradient();
          squares.add(gradient.toType(DataType.FLOAT64, false).square().sum());
        }
      }
      // One read back from the engine for all parameters, not one each.
      return Math.sqrt(NDArrays.stack(squares).sum().getDouble());
    }
  }

  /** Copies a saved tensor's values into a live parameter, in place (the trainer keeps its reference). */
  private static void copyInto(NDArray saved, NDArray target, String name) {
    if (!saved.getShape().equals(target.getShape()) || saved.getDataType() != target.getDataType()) {
      throw new IllegalStateException("The checkpoint's parameter '" + name + "' is " + saved.getDataType() + " "
          + saved.getShape() + ", but the model's is " + target.getDataType() + " " + target.getShape());
    }
    // A buffer of our own: the engine keeps pointing at it, and the saved tensor may be closed right after.
    target.set(ClassifierTrainer.copyOf(saved));
  }

  /** The engine seed of a step: a mix of the training seed and the step, folded to DJL's int. */
  static int stepSeed(long seed, long step) {
    long h = seed * 0x9E3779B97F4A7C15L + step;
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return Long.hashCode(h ^ (h >>> 31));
  }
}
