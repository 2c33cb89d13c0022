package dev.tessera.stages.train.models;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;
import dev.tessera.stages.train.LossFactory;

/**
 * Soft Dice loss ({@code dice}; Milletari et al. 2016) over softmax probabilities and one-hot targets: for each
 * class c over the batch, {@code D_c = (2 sum_n p_nc t_nc + s) / (sum_n p_nc + sum_n t_nc + s)} with smoothing
 * {@code s = 1}, and the loss is {@code 1 - mean_c D_c}. Each class weighs the same whatever its frequency, which
 * is why Dice suits imbalanced classes; it is a batch-level loss, so very small batches make it noisy.
 */
public final class DiceLoss implements LossFactory {
  /** The registry name. */
  public static final String NAME = "dice";

  /** The smoothing added to numerator and denominator: keeps a class absent from the batch at D = 1, not 0/0. */
  public static final float SMOOTH = 1f;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "soft Dice loss over softmax probabilities, averaged over classes (smoothing 1)";
  }

  @Override
  public Loss newLoss() {
    return new OneHotLoss(NAME, DiceLoss::dice);
  }

  /** The loss {@code 1 - mean_c D_c} of {@code (rows, K)} logits and one-hot targets. */
  static NDArray dice(NDArray logits, NDArray t) {
    NDArray p = logits.softmax(1);
    NDArray overlap = p.mul(t).sum(new int[] {0}).mul(2).add(SMOOTH);
    NDArray total = p.sum(new int[] {0}).add(t.sum(new int[] {0})).add(SMOOTH);
    return overlap.div(total).mean().neg().add(1);
  }
}
