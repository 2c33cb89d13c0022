package dev.tessera.stages.train;

/** The optimizer a {@link TrainSpec} trains with. */
public enum OptimizerKind {
  /** Adam with DJL's default betas (0.9, 0.999) and epsilon (1e-8). */
  ADAM,
  /** Stochastic gradient descent with the spec's momentum (0 for plain SGD). */
  SGD
}
