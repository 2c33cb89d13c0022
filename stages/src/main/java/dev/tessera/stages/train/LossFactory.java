package dev.tessera.stages.train;

import ai.djl.training.loss.Loss;
import dev.tessera.pipelines.extension.Registered;
import dev.tessera.pipelines.extension.Registries;
import dev.tessera.pipelines.extension.Registry;

/**
 * A training loss by name ({@code train.loss}). The extension point for losses of your own: implement it and list
 * the class in {@code META-INF/services/dev.tessera.stages.train.LossFactory}; the built-in
 * {@code cross-entropy} is registered the same way.
 */
public interface LossFactory extends Registered {

  /** A new loss over the model's logits and the integer class labels. */
  Loss newLoss();

  /**
   * Whether the loss scores a per-pixel model ({@link ModelFactory#perPixel()}): logits {@code (N, classes, H, W)}
   * against labels {@code (N, H, W)}. True unless a loss says otherwise.
   */
  default boolean perPixel() {
    return true;
  }

  /** The registered losses, seen from the current context class loader. */
  static Registry<LossFactory> registry() {
    return Registries.of("loss", LossFactory.class);
  }
}
