package dev.tessera.stages.train.models;

import ai.djl.training.loss.Loss;
import dev.tessera.stages.train.LossFactory;

/**
 * Softmax cross-entropy with label smoothing 0.1 ({@code cross-entropy-smooth-0.1}; Szegedy et al. 2016): the
 * target of a sample of class y over K classes is {@code 1 - 0.1 + 0.1 / K} for y and {@code 0.1 / K} for the
 * others, and the loss is {@code -sum_k target_k * log softmax(logits)_k}, averaged over the batch. A
 * {@link LossFactory} has no parameters, so the common value 0.1 is registered as its own name; another value is
 * a small {@link LossFactory} of your own returning {@link #loss(String, float) loss(name, epsilon)}.
 */
public final class SmoothedCrossEntropy implements LossFactory {
  /** The registry name. */
  public static final String NAME = "cross-entropy-smooth-0.1";

  /** The smoothing of {@link #NAME}. */
  public static final float EPSILON = 0.1f;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "softmax cross-entropy with label smoothing 0.1, over logits and integer class labels";
  }

  @Override
  public Loss newLoss() {
    return loss(NAME, EPSILON);
  }

  /**
   * A smoothed cross-entropy for any smoothing.
   *
   * @param name the loss's name in the training metrics
   * @param epsilon the probability mass spread evenly over all classes, in [0, 1); 0 is plain cross-entropy
   */
  public static Loss loss(String name, float epsilon) {
    if (!(epsilon >= 0 && epsilon < 1)) {
      throw new IllegalArgumentException("label smoothing epsilon must be in [0, 1), but was " + epsilon);
    }
    return new OneHotLoss(name, (logits, targets) -> {
      long classes = logits.getShape().get(1);
      return logits.logSoftmax(1).mul(targets.mul(1 - epsilon).add(epsilon / classes)).sum(new int[] {1}).neg()
          .mean();
    });
  }
}
