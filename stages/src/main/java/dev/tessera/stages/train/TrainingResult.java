package dev.tessera.stages.train;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What {@link ClassifierTrainer#train} returns.
 *
 * @param modelDir the saved model directory (DJL params, {@code tessera-model.json}, MLflow {@code MLmodel})
 * @param metadata what was saved in {@code tessera-model.json}
 * @param plan devices, effective batch size and learning rate
 * @param history one entry per epoch, in order
 * @param steps optimizer steps taken
 * @param wallTime the whole call, saving included
 */
public record TrainingResult(
    Path modelDir,
    ModelMetadata metadata,
    DevicePlan plan,
    List<EpochMetrics> history,
    long steps,
    Duration wallTime) {

  public TrainingResult {
    history = List.copyOf(history);
  }

  /** The last epoch's mean training loss. */
  public double finalTrainLoss() {
    return history.get(history.size() - 1).trainLoss();
  }

  /**
   * The epoch whose weights the model holds ({@code metadata.weightsEpoch()}: the last, or the best by validation),
   * when it was validated; empty without validation.
   */
  public Optional<EpochMetrics> validatedOutputEpoch() {
    return history.stream().filter(e -> e.epoch() == metadata.weightsEpoch())
        .filter(e -> !Double.isNaN(e.validationAccuracy()) || !Double.isNaN(e.validationLoss())).findFirst();
  }

  /** The last epoch's training accuracy. */
  public double finalTrainAccuracy() {
    return history.get(history.size() - 1).trainAccuracy();
  }
}
