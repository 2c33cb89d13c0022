package dev.tessera.stages.detection.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.tessera.stages.detection.model.DetectorModel;
import dev.tessera.stages.detection.model.DetectorPredictor;
import dev.tessera.stages.detection.model.YoloConfig;
import dev.tessera.stages.detection.model.YoloNet;
import dev.tessera.stages.train.Checkpoints;
import dev.tessera.stages.train.OptimizerSpec;
import dev.tessera.stages.train.internal.DjlFlavor;
import dev.tessera.stages.train.internal.EngineState;
import dev.tessera.stages.train.internal.ModelDirectory;
import dev.tessera.stages.train.internal.StatefulOptimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The detector's training loop on DJL (PyTorch engine, CPU): AdamW with warmup and cosine decay
 * ({@link TrainDetectorSpec#learningRateAt}), {@link LabelAssigner} targets and {@link YoloLoss} per step, an
 * optional EMA of the weights, then the model directory ({@link DetectorModel} JSON and DJL parameters).
 *
 * <p>The head biases start from YOLOv5's priors: objectness at about 8 objects per 640x640 image, classes at
 * probability {@code 0.6 / C}; without them the first steps only learn that most cells are empty.
 *
 * <pre>{@code
 * List<EpochLoss> history = DetectorTrainer.train(spec, model, shards, seed, TrainingLog.none(), dir);
 * }</pre>
 */
public final class DetectorTrainer {
  private DetectorTrainer() {}

  /**
   * Trains a detector of {@code model}'s shape on {@code data} and saves it with {@code model}'s metadata into
   * {@code modelDir}; returns the loss history, one entry per epoch. Without checkpoints.
   */
  public static List<EpochLoss> train(TrainDetectorSpec spec, DetectorModel model, DetectionShards data, long seed,
      TrainingLog log, Path modelDir) throws IOException, InterruptedException {
    return train(spec, model, data, seed, log, modelDir, null);
  }

  /**
   * As above, writing a full-state checkpoint after every epoch into {@code checkpoints} (null for none) and
   * continuing from the newest valid one there: the same weights, bit for bit, as a run that never stopped.
   */
  public static List<EpochLoss> train(TrainDetectorSpec spec, DetectorModel model, DetectionShards data, long seed,
      TrainingLog log, Path modelDir, Checkpoints checkpoints) throws IOException, InterruptedException {
    YoloConfig config = model.config();
    long perEpoch = data.batchesPerEpoch();
    long total = perEpoch * spec.epochs();
    AtomicLong step = new AtomicLong();
    List<EpochLoss> history = new ArrayList<>();
    long budgetNanos = (long) (spec.timeBudgetMinutes() * 60e9);
    long[] trainStart = {System.nanoTime()};
    DoubleSupplier timeUsed = () -> budgetNanos == 0 ? 0
        : Math.min(1, (System.nanoTime() - trainStart[0]) / (double) budgetNanos);
    Optional<DetectorCheckpoint> store = DetectorCheckpoint.open(checkpoints, log::info);
    try (Model djl = Model.newInstance(DetectorModel.MODEL_NAME);
        NDManager stateManager = djl.getNDManager().newSubManager()) {
      YoloNet net = new YoloNet(config);
      djl.setBlock(net);
      StatefulOptimizer optimizer = new StatefulOptimizer(
          OptimizerSpec.adamW(spec.learningRate(), spec.weightDecay()),
          updates -> spec.learningRateAt(updates - 1, total, perEpoch, timeUsed.getAsDouble()), stateManager);
      // The loss is computed by YoloLoss, not by the trainer; DJL's config still wants one.
      DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer);
      try (Trainer trainer = djl.newTrainer(trainingConfig)) {
        EngineState.initialize(trainer, seed, new Shape(1, 3, spec.imageSize(), spec.imageSize()));
        Map<String, String> names = new LinkedHashMap<>();
        net.getParameters().forEach(p -> names.put(p.getValue().getId(), p.getKey()));
        optimizer.bind(names);
        List<Parameter> inPlace = StatefulOptimizer.inPlace(trainer);
        setPriors(net, config, spec.imageSize());
        Ema ema = spec.ema() ? new Ema(net, stateManager) : null;
        int startEpoch = 0;
        if (store.isPresent()) {
          Optional<DetectorCheckpoint.Position> resumed = store.get().restore(net, optimizer,
              ema == null ? null : ema.shadows, stateManager);
          if (resumed.isPresent()) {
            startEpoch = resumed.get().epochs();
            step.set(resumed.get().steps());
            history.addAll(resumed.get().history());
            trainStart[0] -= (long) (resumed.get().seconds() * 1e9);
            log.info("resumed from the checkpoint after epoch " + startEpoch + ", step " + step.get());
          }
        }
        for (int epoch = startEpoch; epoch < spec.epochs(); epoch++) {
          long start = System.nanoTime();
          boolean mosaic = spec.mosaicAt(epoch);
          if (budgetNanos > 0 && epoch > 0) {
            double perEpochNanos = (start - trainStart[0]) / (double) epoch;
            double left = budgetNanos - (start - trainStart[0]);
            if (left < 0.5 * perEpochNanos) {
              log.progress(step.get(), step.get(), "time budget of " + spec.timeBudgetMinutes() + " min reached "
                  + "after " + epoch + " epochs");
              break;
            }
            mosaic &= left > spec.closeMosaicEpochs() * perEpochNanos;
          }
          double[] sums = new double[4];
          int[] steps = {0};
          int shown = epoch + 1;
          data.forEachBatch(epoch, mosaic, batch -> {
            log.checkCancelled();
            try (NDManager manager = trainer.getManager().newSubManager()) {
              NDArray x = manager.create(batch.images(), new Shape(batch.count(), 3, spec.imageSize(),
                  spec.imageSize()));
              List<Target> targets = LabelAssigner.assign(batch.boxes(), spec.imageSize(), config,
                  spec.loss().anchorRatio());
              LossParts parts;
              synchronized (EngineState.LOCK) { // one gradient collector records at a time per process
                try (GradientCollector collector = trainer.newGradientCollector()) {
                  NDList outputs = trainer.forward(new NDList(x));
                  parts = YoloLoss.compute(outputs, targets, config, spec.loss());
                  collector.backward(parts.total());
                }
              }
              optimizer.beginStep(1f);
              optimizer.step(trainer, inPlace);
              long s = step.incrementAndGet();
              if (ema != null) {
                ema.update(net, s);
              }
              double[] values = {parts.total().getFloat(), parts.box().getFloat(), parts.objectness().getFloat(),
                  parts.classes().getFloat()};
              for (int i = 0; i < 4; i++) {
                sums[i] += values[i];
              }
              steps[0]++;
              log.metric("loss", values[0], s);
              log.metric("loss_box", values[1], s);
              log.metric("loss_objectness", values[2], s);
              log.metric("loss_classes", values[3], s);
              log.metric("lr", spec.learningRateAt(s - 1, total, perEpoch, timeUsed.getAsDouble()), s);
              log.progress(s, total, "epoch " + shown + "/" + spec.epochs() + ", loss "
                  + String.format(java.util.Locale.ROOT, "%.4f", values[0]));
            }
          });
          if (steps[0] == 0) {
            throw new IllegalStateException("train-detector read no batches in epoch " + shown
                + ": the training split is empty.");
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          EpochLoss done = new EpochLoss(shown, sums[0] / steps[0], sums[1] / steps[0], sums[2] / steps[0],
              sums[3] / steps[0], seconds);
          history.add(done);
          log.metric("epoch_loss", done.loss(), shown);
          log.metric("epoch_seconds", seconds, shown);
          log.metric("epoch_mosaic", mosaic ? 1 : 0, shown);
          if (store.isPresent()) {
            store.get().save(seed, new DetectorCheckpoint.Position(shown, step.get(), history,
                (System.nanoTime() - trainStart[0]) / 1e9), net, optimizer, ema == null ? null : ema.shadows,
                stateManager);
          }
        }
        if (ema != null) {
          ema.copyInto(net);
        }
      }
      djl.setProperty("Epoch", Integer.toString(history.size()));
      djl.save(modelDir, DetectorModel.MODEL_NAME);
      new DetectorModel(model.format(), model.classNames(), model.imageSize(), model.padValue(), config,
          model.mean(), model.std(), history.size(), model.seed()).write(modelDir);
      // MLflow's MLmodel makes the directory a model that a run can register (a scheduled run's --promote-if).
      ModelDirectory.writeMlmodel(modelDir, DjlFlavor.of(djl.getNDManager().getEngine(), DetectorModel.MODEL_NAME,
          String.format(Locale.ROOT, "%s-%04d.params", DetectorModel.MODEL_NAME, history.size()),
          DetectorModel.FILE_NAME, DetectorPredictor.class), UUID.randomUUID().toString().replace("-", ""),
          Instant.now());
    }
    return history;
  }

  /** YOLOv5's head bias priors: objectness log(8 / cells), classes log(0.6 / (C - 0.99)). */
  static void setPriors(YoloNet net, YoloConfig config, int imageSize) {
    int per = config.outputsPerAnchor();
    for (int s = 0; s < YoloConfig.STRIDES.size(); s++) {
      Block head = net.heads().get(s);
      Parameter bias = head.getParameters().get("bias");
      float[] values = bias.getArray().toFloatArray();
      double cells = Math.pow(640.0 / YoloConfig.STRIDES.get(s), 2);
      for (int a = 0; a < config.anchorsPerScale(); a++) {
        values[a * per + 4] += (float) Math.log(8 / cells);
        for (int c = 0; c < config.classes(); c++) {
          values[a * per + 5 + c] += (float) Math.log(0.6 / (config.classes() - 0.99 + 1e-9));
        }
      }
      bias.getArray().set(values);
    }
  }

  /** An exponential moving average of every parameter (batch-norm statistics included). */
  private static final class Ema {
    /** One shadow per parameter, in {@code getParameters()} order. */
    final List<NDArray> shadows = new ArrayList<>();

    Ema(Block net, NDManager manager) {
      for (var p : net.getParameters()) {
        NDArray copy = p.getValue().getArray().duplicate();
        copy.attach(manager);
        shadows.add(copy);
      }
    }

    void update(Block net, long updates) {
      float decay = (float) (0.9999 * (1 - Math.exp(-updates / 2000.0)));
      int i = 0;
      for (var p : net.getParameters()) {
        NDArray shadow = shadows.get(i++);
        NDArray value = p.getValue().getArray();
        try (NDArray scaled = value.mul(1 - decay)) {
          shadow.muli(decay).addi(scaled);
        }
      }
    }

    void copyInto(Block net) {
      int i = 0;
      for (var p : net.getParameters()) {
        p.getValue().getArray().set(shadows.get(i++).toFloatArray());
      }
    }
  }
}
