package dev.tessera.stages.train;

import ai.djl.nn.Block;
import dev.tessera.stages.train.models.Lenet;
import dev.tessera.stages.train.models.MultiLayerPerceptron;
import dev.tessera.stages.train.models.UNet;
import java.util.Arrays;
import java.util.List;

/**
 * Specs of the built-in models, and blocks for any registered one.
 *
 * <pre>{@code
 * ModelSpec spec = Models.lenet();                  // 1x28x28 input, 10 classes
 * ModelSpec mlp = Models.mlp(256, 128).withClasses(4);
 * Block block = Models.newBlock(spec);              // untrained; the trainer initializes it
 * }</pre>
 */
public final class Models {
  private Models() {}

  /** LeNet-5 for 1x28x28 grey-scale images (MNIST) and 10 classes; use {@code withInput(1, 32, 32)} for 32x32. */
  public static ModelSpec lenet() {
    return new ModelSpec(Lenet.NAME, 1, 28, 28, 10, List.of());
  }

  /** An MLP with the given hidden widths (ReLU between layers) for 1x28x28 images and 10 classes. */
  public static ModelSpec mlp(int... hidden) {
    return new ModelSpec(MultiLayerPerceptron.NAME, 1, 28, 28, 10, Arrays.stream(hidden).boxed().toList());
  }

  /**
   * A U-Net ({@link UNet}) of {@code depth} poolings whose first level has {@code baseWidth} channels (doubling per
   * level), for 1x256x256 images and 2 classes; adjust with {@code withInput} and {@code withClasses}.
   *
   * <pre>{@code
   * ModelSpec membranes = Models.unet(4, 16).withInput(3, 256, 256);   // levels 16, 32, 64, 128, 256
   * }</pre>
   */
  public static ModelSpec unet(int depth, int baseWidth) {
    return new ModelSpec(UNet.NAME, 1, 256, 256, 2, UNet.widths(depth, baseWidth));
  }

  /**
   * A new, uninitialized block for the spec, built by its registered {@link ModelFactory}. Input NCHW float32,
   * output {@code (N, classes)} logits (no softmax).
   */
  public static Block newBlock(ModelSpec spec) {
    ModelFactory factory = spec.factory();
    factory.check(spec);
    return factory.newBlock(spec);
  }
}
