package dev.tessera.stages.train;

/** How the learning rate changes over training. */
public enum LrSchedule {
  /** The spec's learning rate throughout. */
  CONSTANT,
  /** Cosine decay from the spec's learning rate to 1% of it at the last step (needs batches per epoch). */
  COSINE
}
