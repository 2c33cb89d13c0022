package dev.tessera.stages.train;

/** The update rule a {@link OptimizerSpec} trains with. */
public enum OptimizerKind {
  /** Stochastic gradient descent, with optional momentum (and Nesterov momentum). */
  SGD,
  /** Adam with betas (0.9, 0.999) and epsilon 1e-8; weight decay is added to the gradient (L2). */
  ADAM,
  /** Adam with decoupled weight decay (Loshchilov and Hutter): {@code w -= lr * weightDecay * w} each step. */
  ADAMW,
  /** RMSProp (PyTorch's form: smoothing 0.99, epsilon 1e-8, not centered), with optional momentum. */
  RMSPROP
}
