package dev.tessera.stages.train;

/**
 * When the trainer writes a full-state checkpoint (weights, optimizer state, schedule position, epoch and batch,
 * metric totals) into the stage's work directory, and how many it keeps. A checkpoint is also written when
 * training ends. A later start of the same stage (after a crash, {@code tessera resume}) continues from the
 * newest valid one.
 *
 * <pre>{@code
 * new CheckpointSpec(1, 500, 3)   // at every epoch end and every 500 steps; keep the newest 3
 * }</pre>
 *
 * @param everyEpochs write one every this many epochs, >= 0 (0: not by epoch)
 * @param everySteps write one every this many optimizer steps, >= 0 (0: not by step)
 * @param keepLast how many of the newest checkpoints to keep, in [1, 100]
 */
public record CheckpointSpec(int everyEpochs, int everySteps, int keepLast) {

  public CheckpointSpec {
    if (everyEpochs < 0) {
      throw new IllegalArgumentException("train.checkpoint.everyEpochs must be >= 0 (0: not by epoch), but was "
          + everyEpochs);
    }
    if (everySteps < 0) {
      throw new IllegalArgumentException("train.checkpoint.everySteps must be >= 0 (0: not by step), but was "
          + everySteps);
    }
    if (keepLast < 1 || keepLast > 100) {
      throw new IllegalArgumentException("train.checkpoint.keepLast must be in [1, 100], but was " + keepLast);
    }
  }

  /** Every epoch, not by step, the newest 2 kept. */
  public static CheckpointSpec defaults() {
    return new CheckpointSpec(1, 0, 2);
  }

  /** Whether a checkpoint is due after {@code step} steps (1-based), at an epoch end or not. */
  boolean due(long step, int finishedEpochs, boolean epochEnd) {
    return (everySteps > 0 && step % everySteps == 0)
        || (epochEnd && everyEpochs > 0 && finishedEpochs % everyEpochs == 0);
  }
}
