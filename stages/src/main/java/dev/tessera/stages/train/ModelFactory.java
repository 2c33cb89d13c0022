package dev.tessera.stages.train;

import ai.djl.nn.Block;
import dev.tessera.pipelines.extension.Registered;
import dev.tessera.pipelines.extension.Registries;
import dev.tessera.pipelines.extension.Registry;

/**
 * A model architecture: checks a {@link ModelSpec} and builds its DJL block. The extension point for models of your
 * own: implement it, and list the class in {@code META-INF/services/dev.tessera.stages.train.ModelFactory} of your
 * jar; {@code ModelSpec.of("my-net", ...)} then trains it. The built-ins ({@code lenet}, {@code mlp}) are registered
 * the same way.
 */
public interface ModelFactory extends Registered {

  /**
   * Rejects a spec this architecture cannot build, naming the setting, the value and what is allowed, such as
   * {@code model.height x model.width must be 28x28 or 32x32 for lenet, but was 64x64}.
   *
   * @throws IllegalArgumentException for a spec this architecture cannot build
   */
  void check(ModelSpec spec);

  /**
   * A new, uninitialized block: input NCHW float32 of the spec's shape, output {@code (N, classes)} logits, or
   * {@code (N, classes, H, W)} when {@link #perPixel()}.
   */
  Block newBlock(ModelSpec spec);

  /**
   * Whether the block classifies every pixel ({@code (N, classes, H, W)} logits, a segmentation net such as
   * {@code unet}) instead of every image: the trainer then takes each sample's mask as its labels. False by default.
   */
  default boolean perPixel() {
    return false;
  }

  /** The registered architectures, seen from the current context class loader. */
  static Registry<ModelFactory> registry() {
    return Registries.of("model", ModelFactory.class);
  }
}
