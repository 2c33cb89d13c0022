package dev.tessera.stages.train;

import java.util.Arrays;

/**
 * The optimizer: its rule, learning rate and regularization. Overrides address its fields, for example
 * {@code --set train.optimizer.kind=sgd --set train.optimizer.momentum=0.9 --set train.optimizer.nesterov=true}.
 *
 * <pre>{@code
 * OptimizerSpec.adam(1e-3)                           // Adam, lr 1e-3
 * OptimizerSpec.sgd(0.1, 0.9).withNesterov(true).withWeightDecay(5e-4).withClipGradNorm(10)
 * }</pre>
 *
 * @param kind the update rule ({@link OptimizerKind})
 * @param learningRate the base learning rate, in (0, 10]; the schedule multiplies it, scaling may too
 * @param momentum momentum in [0, 1) for SGD and RMSProp; must be 0 for Adam and AdamW (they have betas)
 * @param nesterov Nesterov momentum (SGD with momentum > 0 only)
 * @param weightDecay in [0, 1): L2 added to the gradient (SGD, Adam, RMSProp), decoupled for AdamW
 * @param clipGradNorm clip the gradients so that their global L2 norm is at most this, > 0; 0 turns clipping off
 * @param lrScaling {@link LrScaling#LINEAR}: scale the learning rate by effective batch / {@code baseBatchSize}
 * @param baseBatchSize the batch size {@code learningRate} was tuned for, >= 0; 0 means {@code train.batchSize}
 *     (then linear scaling multiplies by the device count only)
 */
public record OptimizerSpec(
    OptimizerKind kind,
    double learningRate,
    double momentum,
    boolean nesterov,
    double weightDecay,
    double clipGradNorm,
    LrScaling lrScaling,
    int baseBatchSize) {

  public OptimizerSpec {
    if (kind == null) {
      throw new IllegalArgumentException("train.optimizer.kind must be one of "
          + Arrays.toString(OptimizerKind.values()) + " (case-insensitive), but was null");
    }
    if (!(learningRate > 0 && learningRate <= 10)) {
      throw new IllegalArgumentException("train.optimizer.learningRate must be in (0, 10], but was " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("train.optimizer.momentum must be in [0, 1), but was " + momentum);
    }
    if ((kind == OptimizerKind.ADAM || kind == OptimizerKind.ADAMW) && momentum != 0) {
      throw new IllegalArgumentException("train.optimizer.momentum must be 0 with optimizer " + kind
          + " (Adam has its own betas), but was " + momentum + "; use kind SGD or RMSPROP for momentum");
    }
    if (nesterov && (kind != OptimizerKind.SGD || momentum == 0)) {
      throw new IllegalArgumentException("train.optimizer.nesterov needs kind SGD with momentum > 0, but kind was "
          + kind + " and momentum " + momentum);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new IllegalArgumentException("train.optimizer.weightDecay must be in [0, 1), but was " + weightDecay);
    }
    if (!(clipGradNorm >= 0) || Double.isInfinite(clipGradNorm)) {
      throw new IllegalArgumentException("train.optimizer.clipGradNorm must be > 0, or 0 for no clipping, but was "
          + clipGradNorm);
    }
    if (lrScaling == null) {
      throw new IllegalArgumentException("train.optimizer.lrScaling must be one of "
          + Arrays.toString(LrScaling.values()) + ", but was null");
    }
    if (baseBatchSize < 0) {
      throw new IllegalArgumentException("train.optimizer.baseBatchSize must be >= 0 (0: train.batchSize), but was "
          + baseBatchSize);
    }
  }

  /** Adam at {@code learningRate}: no weight decay, no clipping, linear scaling over devices. */
  public static OptimizerSpec adam(double learningRate) {
    return new OptimizerSpec(OptimizerKind.ADAM, learningRate, 0, false, 0, 0, LrScaling.LINEAR, 0);
  }

  /** SGD at {@code learningRate} with {@code momentum} (0 for plain SGD). */
  public static OptimizerSpec sgd(double learningRate, double momentum) {
    return new OptimizerSpec(OptimizerKind.SGD, learningRate, momentum, false, 0, 0, LrScaling.LINEAR, 0);
  }

  /** AdamW at {@code learningRate} with decoupled {@code weightDecay}. */
  public static OptimizerSpec adamW(double learningRate, double weightDecay) {
    return new OptimizerSpec(OptimizerKind.ADAMW, learningRate, 0, false, weightDecay, 0, LrScaling.LINEAR, 0);
  }

  /** RMSProp at {@code learningRate} with {@code momentum} (0 for none). */
  public static OptimizerSpec rmsProp(double learningRate, double momentum) {
    return new OptimizerSpec(OptimizerKind.RMSPROP, learningRate, momentum, false, 0, 0, LrScaling.LINEAR, 0);
  }

  public OptimizerSpec withLearningRate(double learningRate) {
    return new OptimizerSpec(kind, learningRate, momentum, nesterov, weightDecay, clipGradNorm, lrScaling,
        baseBatchSize);
  }

  public OptimizerSpec withNesterov(boolean nesterov) {
    return new OptimizerSpec(kind, learningRate, momentum, nesterov, weightDecay, clipGradNorm, lrScaling,
        baseBatchSize);
  }

  public OptimizerSpec withWeightDecay(double weightDecay) {
    return new OptimizerSpec(kind, learningRate, momentum, nesterov, weightDecay, clipGradNorm, lrScaling,
        baseBatchSize);
  }

  public OptimizerSpec withClipGradNorm(double clipGradNorm) {
    return new OptimizerSpec(kind, learningRate, momentum, nesterov, weightDecay, clipGradNorm, lrScaling,
        baseBatchSize);
  }

  /** A copy scaling the learning rate as {@code scaling} says, tuned for batches of {@code baseBatchSize}. */
  public OptimizerSpec withLrScaling(LrScaling scaling, int baseBatchSize) {
    return new OptimizerSpec(kind, learningRate, momentum, nesterov, weightDecay, clipGradNorm, scaling,
        baseBatchSize);
  }

  /** The learning rate for an effective batch of {@code effectiveBatch} when one device takes {@code batchSize}. */
  public double scaledLearningRate(int batchSize, int effectiveBatch) {
    if (lrScaling == LrScaling.NONE) {
      return learningRate;
    }
    int base = baseBatchSize == 0 ? batchSize : baseBatchSize;
    return learningRate * effectiveBatch / base;
  }
}
