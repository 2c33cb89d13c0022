package dev.tessera.stages.train.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * A loss given as a formula over the logits {@code (N, K)} and the labels as one-hot float32 targets
 * {@code (N, K)}: the integer labels the trainer passes, {@code (N)} or {@code (N, 1)}, are expanded here.
 */
final class OneHotLoss extends Loss {

  /** The loss of a batch, a scalar, from its logits and one-hot targets. */
  interface Formula {
    NDArray apply(NDArray logits, NDArray targets);
  }

  private final Formula formula;

  OneHotLoss(String name, Formula formula) {
    super(name);
    this.formula = formula;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logits = predictions.singletonOrThrow();
    if (logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          "the loss needs (N, classes) logits, but the model gave shape " + logits.getShape());
    }
    NDArray classes = labels.singletonOrThrow().reshape(-1).toType(DataType.INT64, false);
    NDArray targets = classes.oneHot(Math.toIntExact(logits.getShape().get(1))).toType(DataType.FLOAT32, false);
    return formula.apply(logits, targets);
  }
}
