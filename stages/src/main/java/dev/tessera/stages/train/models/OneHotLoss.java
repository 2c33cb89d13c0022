package dev.tessera.stages.train.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * A loss given as a formula over the logits {@code (N, K)} and the labels as one-hot float32 targets
 * {@code (N, K)}: the integer labels the trainer passes, {@code (N)} or {@code (N, 1)}, are expanded here.
 * Per-pixel logits {@code (N, K, H, W)} with label masks {@code (N, H, W)} become {@code N * H * W} rows first, so
 * every formula also works per pixel.
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
    if (logits.getShape().dimension() == 4) {
      // (N, K, H, W) -> (N * H * W, K): each pixel is a row, in the (n, h, w) order of the label masks.
      logits = logits.transpose(0, 2, 3, 1).reshape(-1, logits.getShape().get(1));
    }
    if (logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException("the loss needs (N, classes) or per-pixel (N, classes, H, W) logits, but "
          + "the model gave shape " + predictions.singletonOrThrow().getShape());
    }
    NDArray classes = labels.singletonOrThrow().reshape(-1).toType(DataType.INT64, false);
    if (classes.size() != logits.getShape().get(0)) {
      throw new IllegalArgumentException("the loss got " + classes.size() + " labels for " + logits.getShape().get(0)
          + " rows of logits (shape " + predictions.singletonOrThrow().getShape() + "); per-pixel models need one "
          + "label per pixel (a mask), classifiers one per sample");
    }
    NDArray targets = classes.oneHot(Math.toIntExact(logits.getShape().get(1))).toType(DataType.FLOAT32, false);
    return formula.apply(logits, targets);
  }
}
