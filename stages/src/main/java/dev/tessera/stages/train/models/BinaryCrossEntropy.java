package dev.tessera.stages.train.models;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;
import dev.tessera.stages.train.LossFactory;

/**
 * Binary cross-entropy on logits ({@code binary-cross-entropy}): every class is its own yes/no question with a
 * sigmoid, the integer label becoming one-hot targets, and the loss is the mean over all N x K entries (as
 * PyTorch's {@code BCEWithLogitsLoss}). Computed as {@code max(x, 0) - x * t + log(1 + exp(-|x|))}, which never
 * overflows, rather than through {@code log(sigmoid(x))}.
 */
public final class BinaryCrossEntropy implements LossFactory {
  /** The registry name. */
  public static final String NAME = "binary-cross-entropy";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "sigmoid binary cross-entropy on logits, one-hot targets, mean over samples and classes";
  }

  @Override
  public Loss newLoss() {
    return new OneHotLoss(NAME, (logits, targets) -> elementwise(logits, targets).mean());
  }

  /** The per-entry loss {@code -t log sigmoid(x) - (1 - t) log(1 - sigmoid(x))}, in a stable form. */
  static NDArray elementwise(NDArray logits, NDArray targets) {
    return logits.maximum(0f).sub(logits.mul(targets)).add(logits.abs().neg().exp().add(1).log());
  }
}
