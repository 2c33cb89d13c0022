package dev.tessera.stages.train;

/** Whether the learning rate follows the size of the effective batch. */
public enum LrScaling {
  /** The spec's learning rate, whatever the effective batch. */
  NONE,
  /**
   * The linear scaling rule (Goyal et al.): {@code lr = learningRate * effectiveBatch / baseBatchSize}, where the
   * effective batch is {@code batchSize} times the number of devices.
   */
  LINEAR
}
