package dev.tessera.stages.train.models;

import ai.djl.training.loss.Loss;
import dev.tessera.stages.train.LossFactory;

/** Softmax cross-entropy over logits and integer labels ({@code cross-entropy}). */
public final class CrossEntropy implements LossFactory {
  /** The registry name. */
  public static final String NAME = "cross-entropy";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "softmax cross-entropy over logits and integer class labels";
  }

  @Override
  public Loss newLoss() {
    return Loss.softmaxCrossEntropyLoss();
  }

  /** No: DJL's softmax cross-entropy takes the last axis as the class axis, a per-pixel model's is axis 1. */
  @Override
  public boolean perPixel() {
    return false;
  }
}
