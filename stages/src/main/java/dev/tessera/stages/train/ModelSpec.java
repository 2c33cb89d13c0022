package dev.tessera.stages.train;

import java.util.List;

/**
 * Which classifier to build and for what input: architecture, input shape (channels x height x width, CHW) and
 * the number of classes.
 *
 * <p>Create one with {@link Models#lenet()} or {@link Models#mlp(int...)} and adjust with the {@code withX}
 * methods, for example {@code Models.lenet().withInput(1, 32, 32)}.
 *
 * @param architecture which network
 * @param channels input channels (1 for grey-scale)
 * @param height input height in pixels
 * @param width input width in pixels
 * @param classes number of output classes (logits)
 * @param hidden hidden layer widths of an {@link Architecture#MLP}; must be empty for {@link Architecture#LENET}
 */
public record ModelSpec(
    Architecture architecture, int channels, int height, int width, int classes, List<Integer> hidden) {

  /** The input sizes LeNet accepts: 32x32 as in the paper, or 28x28 with 2 pixels of padding in the first conv. */
  public static final List<Integer> LENET_SIZES = List.of(28, 32);

  public ModelSpec {
    if (architecture == null) {
      throw new IllegalArgumentException(
          "model.architecture must be one of " + List.of(Architecture.values()) + ", but was null");
    }
    if (channels < 1 || channels > 64) {
      throw new IllegalArgumentException("model.channels must be in [1, 64], but was " + channels);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "model.height and model.width must be >= 1, but were " + height + "x" + width);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("model.classes must be >= 2, but was " + classes);
    }
    hidden = hidden == null ? List.of() : List.copyOf(hidden);
    for (int i = 0; i < hidden.size(); i++) {
      if (hidden.get(i) < 1) {
        throw new IllegalArgumentException(
            "model.hidden[" + i + "] must be >= 1, but was " + hidden.get(i));
      }
    }
    if (architecture == Architecture.LENET) {
      if (height != width || !LENET_SIZES.contains(height)) {
        throw new IllegalArgumentException(
            "model.height x model.width must be 28x28 or 32x32 for LENET, but was " + height + "x" + width
                + " (resize the images in preprocessing, or use MLP)");
      }
      if (!hidden.isEmpty()) {
        throw new IllegalArgumentException(
            "model.hidden must be empty for LENET (its layers are fixed), but was " + hidden);
      }
    }
  }

  /** A copy for images of {@code channels x height x width} (CHW). */
  public ModelSpec withInput(int channels, int height, int width) {
    return new ModelSpec(architecture, channels, height, width, classes, hidden);
  }

  /** A copy with {@code classes} output logits. */
  public ModelSpec withClasses(int classes) {
    return new ModelSpec(architecture, channels, height, width, classes, hidden);
  }

  /** Floats per sample: {@code channels * height * width}. */
  public int sampleSize() {
    return channels * height * width;
  }
}
