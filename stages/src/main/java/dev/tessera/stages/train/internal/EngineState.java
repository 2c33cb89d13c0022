package dev.tessera.stages.train.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;

/**
 * What DJL's PyTorch engine has once per process: its random generator (initial weights, dropout masks) and its
 * gradient collector (one may record at a time; a second fails with "A PtGradientCollector is already
 * collecting"). Trainings in one JVM, such as a sweep's parallel slots, hold {@link #LOCK} while they seed the
 * generator and draw from it, and while they record a forward and backward pass; data loading, optimizer updates
 * and validation still overlap.
 *
 * <p>Seeding outside the lock is a bug, not a style question: a seed set by one training in the middle of another's
 * weight initialisation restarts the other's draws, so the same trial got other initial weights now and then when
 * a second one started beside it.
 */
public final class EngineState {
  /** Held while seeding or drawing from the engine's generator and while recording gradients. */
  public static final Object LOCK = new Object();

  private EngineState() {}

  /**
   * Seeds the engine's generator from {@code seed} and draws {@code trainer}'s initial weights from it, both under
   * {@link #LOCK}: the same seed gives the same weights whatever trains beside. DJL's engine seed is an int; the
   * long is folded so that seeds differing only in the high bits still differ.
   */
  public static void initialize(Trainer trainer, long seed, Shape inputShape) {
    synchronized (LOCK) {
      Engine.getInstance().setRandomSeed(Long.hashCode(seed));
      trainer.initialize(inputShape);
    }
  }
}
