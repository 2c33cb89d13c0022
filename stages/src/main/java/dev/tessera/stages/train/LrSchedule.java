package dev.tessera.stages.train;

/** The shape of the learning rate after warm-up; {@link ScheduleSpec} holds its settings. */
public enum LrSchedule {
  /** The learning rate throughout. */
  CONSTANT,
  /** Multiplied by {@code gamma} every {@code stepEpochs} epochs. */
  STEP,
  /** Multiplied by {@code gamma} at each epoch listed in {@code milestones}. */
  MULTI_STEP,
  /** Cosine decay to {@code finalFactor} of the learning rate at the last step. */
  COSINE,
  /**
   * One cycle (Smith): up from {@code startFactor} to the full rate along a half cosine over the first
   * {@code peakFraction} of the steps, then down to {@code finalFactor} along a half cosine.
   */
  ONE_CYCLE,
  /** Polynomial decay to {@code finalFactor}: {@code final + (1 - final) * (1 - progress)^power}. */
  POLYNOMIAL
}
