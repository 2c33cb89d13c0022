package dev.tessera.stages.train.internal;

import dev.tessera.stages.train.EpochMetrics;
import dev.tessera.stages.train.ModelSpec;
import java.util.List;

/**
 * The non-tensor part of a checkpoint, written as {@code state.json}: where training stood and what it had
 * measured. The position is {@code (epoch, batchInEpoch)}: {@code batchInEpoch} batches of 0-based epoch
 * {@code epoch} are done (0 at an epoch boundary). Batch sources draw an epoch's order from (seed, epoch) only, so
 * resuming means opening that epoch and skipping those batches; the engine's random generator is reseeded from
 * (seed, step) before every step, so nothing else random needs saving.
 *
 * @param format {@link #FORMAT}
 * @param fingerprint what the run is (spec, seed, code, data): a checkpoint is resumed only by the same
 * @param model the model spec, to refuse a checkpoint of another architecture with a clear message; {@code null}
 *     for trainers without one (the detector's, which keeps its own shape in its fingerprint)
 * @param seed the training seed
 * @param epoch the 0-based epoch in progress (equals the finished epochs when {@code batchInEpoch} is 0)
 * @param batchInEpoch batches of {@code epoch} already trained
 * @param step optimizer steps so far; also the learning-rate schedule's position
 * @param metrics the metric listener's running totals ({@code null} when the trainer keeps none)
 * @param history the finished epochs' metrics
 * @param best the best validation value so far and its epoch, and the early-stopping count
 * @param stoppedEarly whether early stopping ended the run (then nothing is left to train)
 * @param tensorsSha256 SHA-256 of {@code tensors.bin}, checked before the checkpoint is used
 * @param createdUtc when it was written, ISO-8601
 */
public record TrainingState(
    String format,
    String fingerprint,
    ModelSpec model,
    long seed,
    int epoch,
    long batchInEpoch,
    long step,
    MetricsListener.Snapshot metrics,
    List<EpochMetrics> history,
    Best best,
    boolean stoppedEarly,
    String tensorsSha256,
    String createdUtc) {

  /** The value of {@code format} this code writes and reads. */
  public static final String FORMAT = "tessera-checkpoint/1";

  public TrainingState {
    history = List.copyOf(history);
  }

  /**
   * The best validation result so far.
   *
   * @param value the best monitored value, NaN before the first validation
   * @param epoch its 1-based epoch, 0 before the first
   * @param epochsWithoutImprovement validations since the last improvement
   */
  public record Best(double value, int epoch, int epochsWithoutImprovement) {
    /** Nothing measured yet. */
    public static Best none() {
      return new Best(Double.NaN, 0, 0);
    }
  }
}
