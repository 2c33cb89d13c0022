package dev.tessera.stages.train.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import dev.tessera.stages.train.LossFactory;

/**
 * Sigmoid focal loss on logits ({@code focal}; Lin et al. 2017) with the paper's alpha 0.25 and gamma 2: per class
 * entry {@code alpha_t * (1 - p_t)^gamma * BCE(x, t)} where {@code p = sigmoid(x)}, {@code p_t = p} for the true
 * class and {@code 1 - p} otherwise, and {@code alpha_t = alpha} for the true class and {@code 1 - alpha}
 * otherwise. Summed over the classes and divided by the batch size: each sample has one positive, so this is the
 * paper's normalization by the number of positives. Easy, confident entries contribute little.
 */
public final class FocalLoss implements LossFactory {
  /** The registry name. */
  public static final String NAME = "focal";

  /** The weight of positive entries. */
  public static final float ALPHA = 0.25f;

  /** The focusing exponent. */
  public static final float GAMMA = 2f;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "sigmoid focal loss (Lin et al. 2017, alpha 0.25, gamma 2) on logits, one-hot targets, per sample";
  }

  @Override
  public Loss newLoss() {
    return new OneHotLoss(NAME, (logits, t) -> {
      NDArray p = Activation.sigmoid(logits);
      // p_t = p t + (1 - p)(1 - t); alpha_t = alpha t + (1 - alpha)(1 - t) = (2 alpha - 1) t + 1 - alpha.
      NDArray pt = p.mul(t).add(p.neg().add(1).mul(t.neg().add(1)));
      NDArray alphaT = t.mul(2 * ALPHA - 1).add(1 - ALPHA);
      NDArray entries = alphaT.mul(pt.neg().add(1).pow(GAMMA)).mul(BinaryCrossEntropy.elementwise(logits, t));
      return entries.sum().div(logits.getShape().get(0));
    });
  }
}
