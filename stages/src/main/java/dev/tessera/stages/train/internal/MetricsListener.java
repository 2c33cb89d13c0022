package dev.tessera.stages.train.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import dev.tessera.stages.train.TrainingCallbacks;
import java.util.Map;

/**
 * Turns DJL's training callbacks into Tessera metrics: per-step {@code train/loss} and {@code train/accuracy}
 * every N steps, per-epoch means {@code epoch/*} and {@code val/*}. Keeps the training loop free of logging code.
 *
 * <p>Loss and accuracy are computed from the predictions DJL already made (no second forward pass); a training
 * batch's loss is the value the step computed for its backward pass (the trainer's loss is a
 * {@link RememberedLoss}). The values are read back as scalars, one small device-to-host copy per batch and number,
 * without the extra engine op DJL's scalar getters add.
 */
public final class MetricsListener implements TrainingListener {
  private final TrainingCallbacks callbacks;
  private final int logEverySteps;
  /** Labels per sample: accuracy counts each (one per pixel for a per-pixel model), the loss is per sample. */
  private final int labelsPerSample;

  private long steps;
  private int epochs;
  private final Totals train = new Totals();
  private final Totals validation = new Totals();
  private final Totals emaValidation = new Totals();
  private boolean emaPhase;
  private double lastTrainLoss = Double.NaN;
  private double lastTrainAccuracy = Double.NaN;
  private double lastValidationLoss = Double.NaN;
  private double lastValidationAccuracy = Double.NaN;

  public MetricsListener(TrainingCallbacks callbacks, int logEverySteps) {
    this(callbacks, logEverySteps, 1);
  }

  /**
   * @param labelsPerSample labels per sample: 1 for classifiers, {@code H * W} for per-pixel models, whose accuracy
   *     is then the fraction of pixels classified right
   */
  public MetricsListener(TrainingCallbacks callbacks, int logEverySteps, int labelsPerSample) {
    this.callbacks = callbacks;
    this.logEverySteps = logEverySteps;
    this.labelsPerSample = labelsPerSample;
  }

  /** Sums over the samples seen since the last epoch end. */
  private final class Totals {
    double lossSum;
    /** Labels predicted right (pixels, for a per-pixel model). */
    long correct;
    long samples;

    /** The fraction of labels predicted right. */
    double accuracy() {
      return (double) correct / ((double) samples * labelsPerSample);
    }

    /** Adds one batch (all devices); returns {loss mean, accuracy} of that batch. */
    double[] add(Trainer trainer, TrainingListener.BatchData data) {
      double batchLoss = 0;
      long batchCorrect = 0;
      long batchSamples = 0;
      for (Map.Entry<Device, NDList> entry : data.getPredictions().entrySet()) {
        NDList labels = data.getLabels().get(entry.getKey());
        NDList predictions = entry.getValue();
        long n = labels.head().getShape().get(0);
        // The loss is a mean over the split; weight it by the split's size to average over samples.
        batchLoss += scalar(trainer.getLoss().evaluate(labels, predictions)).toFloatArray()[0] * (double) n;
        NDArray predicted = predictions.head().argMax(1).toType(DataType.INT64, false);
        batchCorrect += scalar(predicted.eq(labels.head().toType(DataType.INT64, false)).countNonzero())
            .toLongArray()[0];
        batchSamples += n;
      }
      lossSum += batchLoss;
      correct += batchCorrect;
      samples += batchSamples;
      return new double[] {batchLoss / batchSamples,
          (double) batchCorrect / ((double) batchSamples * labelsPerSample)};
    }

    void reset() {
      lossSum = 0;
      correct = 0;
      samples = 0;
    }
  }

  /**
   * {@code value} itself, checked to hold one element. Its element is then read straight from the array: DJL's
   * {@code getFloat()} and {@code getLong()} first index the array with an empty index, which costs an engine op
   * (a {@code clone}) and a Java array per read, twice per step, for the same number.
   */
  private static NDArray scalar(NDArray value) {
    if (value.size() != 1) {
      throw new IllegalStateException("a per-batch metric must be one number, but the array had shape "
          + value.getShape() + "; the loss must reduce over the batch");
    }
    return value;
  }

  @Override
  public void onTrainingBatch(Trainer trainer, BatchData batchData) {
    double[] lossAndAccuracy = train.add(trainer, batchData);
    steps++;
    if (steps % logEverySteps == 0) {
      callbacks.metric("train/loss", lossAndAccuracy[0], steps);
      callbacks.metric("train/accuracy", lossAndAccuracy[1], steps);
    }
  }

  @Override
  public void onValidationBatch(Trainer trainer, BatchData batchData) {
    (emaPhase ? emaValidation : validation).add(trainer, batchData);
  }

  @Override
  public void onEpoch(Trainer trainer) {
    epochs++;
    lastTrainLoss = train.lossSum / train.samples;
    lastTrainAccuracy = train.accuracy();
    callbacks.metric("epoch/loss", lastTrainLoss, epochs);
    callbacks.metric("epoch/accuracy", lastTrainAccuracy, epochs);
    if (validation.samples > 0) {
      lastValidationLoss = validation.lossSum / validation.samples;
      lastValidationAccuracy = validation.accuracy();
      callbacks.metric("val/loss", lastValidationLoss, epochs);
      callbacks.metric("val/accuracy", lastValidationAccuracy, epochs);
    } else {
      lastValidationLoss = Double.NaN;
      lastValidationAccuracy = Double.NaN;
    }
    if (emaValidation.samples > 0) {
      callbacks.metric("val/ema_loss", emaValidation.lossSum / emaValidation.samples, epochs);
      callbacks.metric("val/ema_accuracy", emaValidation.accuracy(), epochs);
    }
    train.reset();
    validation.reset();
    emaValidation.reset();
  }

  /**
   * The running state a checkpoint needs: steps and epochs counted, and the training totals of the epoch in progress
   * (validation totals are always empty between batches of training).
   *
   * @param steps optimizer steps so far
   * @param epochs finished epochs
   * @param lossSum the epoch's summed per-sample loss so far
   * @param correct the epoch's correct predictions so far
   * @param samples the epoch's samples so far
   */
  public record Snapshot(long steps, int epochs, double lossSum, long correct, long samples) {}

  /** The state to save in a checkpoint. */
  public Snapshot snapshot() {
    return new Snapshot(steps, epochs, train.lossSum, train.correct, train.samples);
  }

  /** Continues from a checkpoint's state. */
  public void restore(Snapshot snapshot) {
    steps = snapshot.steps();
    epochs = snapshot.epochs();
    train.lossSum = snapshot.lossSum();
    train.correct = snapshot.correct();
    train.samples = snapshot.samples();
    validation.reset();
    emaValidation.reset();
  }

  @Override
  public void onTrainingBegin(Trainer trainer) {}

  @Override
  public void onTrainingEnd(Trainer trainer) {}

  /** While on, validation batches count as the EMA weights' ({@code val/ema_*}) instead of the raw ones'. */
  public void emaPhase(boolean on) {
    emaPhase = on;
  }

  /** Optimizer steps so far. */
  public long steps() {
    return steps;
  }

  public double lastTrainLoss() {
    return lastTrainLoss;
  }

  public double lastTrainAccuracy() {
    return lastTrainAccuracy;
  }

  public double lastValidationLoss() {
    return lastValidationLoss;
  }

  public double lastValidationAccuracy() {
    return lastValidationAccuracy;
  }
}
