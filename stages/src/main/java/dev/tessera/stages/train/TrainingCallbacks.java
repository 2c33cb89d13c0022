package dev.tessera.stages.train;

import java.util.Map;

/**
 * What the trainer reports while it runs, and how it learns that it should stop. A stage adapts these to its
 * tracker, progress table and cancellation; all calls come from the training thread.
 *
 * <p>Metric keys: {@code train/loss}, {@code train/accuracy} (the current batch), {@code train/lr} (the learning
 * rate of the step) and, with clipping, {@code train/grad_norm} (before clipping), every
 * {@link TrainSpec#logEverySteps()} steps, step = optimizer steps so far; {@code epoch/loss},
 * {@code epoch/accuracy} (means over the epoch's training samples) and, with a validation source,
 * {@code val/loss}, {@code val/accuracy} (and {@code val/ema_loss}, {@code val/ema_accuracy} with EMA), all with
 * step = the 1-based epoch. A resumed run does not repeat points logged before the interruption.
 */
public interface TrainingCallbacks {

  /** One metric point; must not block on the network (batch and send in the background). */
  void metric(String key, double value, long step);

  /** Progress within an epoch (1-based epoch and batch; {@code batchesPerEpoch} <= 0 when unknown). */
  void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message);

  /** Throws when the run was cancelled (Ctrl-C); called between batches. */
  void checkCancelled() throws InterruptedException;

  /**
   * Settings resolved at the start of training, such as {@code effective_batch_size} and
   * {@code effective_learning_rate}; a stage logs them as params. The default ignores them.
   */
  default void params(Map<String, String> params) {}

  /** A line for the stage log, such as which checkpoint training resumed from. The default ignores it. */
  default void log(String message) {}

  /** Callbacks that ignore everything and never cancel. */
  static TrainingCallbacks none() {
    return new TrainingCallbacks() {
      @Override
      public void metric(String key, double value, long step) {}

      @Override
      public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {}

      @Override
      public void checkCancelled() {}
    };
  }
}
