package dev.tessera.stages.train;

/** The classifier architectures {@link Models} can build. */
public enum Architecture {
  /** LeNet-5 style CNN (two 5x5 convolutions with batch norm, three dense layers). */
  LENET,
  /** A multi-layer perceptron over the flattened image. */
  MLP
}
