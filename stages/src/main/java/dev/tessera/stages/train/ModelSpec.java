package dev.tessera.stages.train;

import java.util.List;
import java.util.Locale;

/**
 * Which model to build and for what input: the architecture's registry name, input shape (channels x height x
 * width, CHW) and the number of classes.
 *
 * <p>Create one with {@link Models#lenet()} or {@link Models#mlp(int...)} and adjust with the {@code withX}
 * methods, for example {@code Models.lenet().withInput(1, 32, 32)}; a model of your own is
 * {@code new ModelSpec("my-net", 3, 32, 32, 10, List.of())} once its {@link ModelFactory} is registered.
 *
 * @param architecture a registered {@link ModelFactory} name, such as {@code lenet} or {@code mlp}
 * @param channels input channels (1 for grey-scale)
 * @param height input height in pixels
 * @param width input width in pixels
 * @param classes number of output classes (logits)
 * @param hidden hidden layer widths, for architectures that take them ({@code mlp}); empty otherwise
 *
 * <p>Single values are checked here; whether the architecture takes this input shape is checked by its
 * {@link ModelFactory#check} when a {@link TrainSpec} is made.
 */
public record ModelSpec(
    String architecture, int channels, int height, int width, int classes, List<Integer> hidden) {

  public ModelSpec {
    if (architecture == null || architecture.isBlank()) {
      throw new IllegalArgumentException("model.architecture must be one of "
          + ModelFactory.registry().names() + ", but was " + (architecture == null ? "null" : "blank"));
    }
    architecture = architecture.toLowerCase(Locale.ROOT);
    if (ModelFactory.registry().find(architecture).isEmpty()) {
      throw new IllegalArgumentException("model.architecture must be one of " + ModelFactory.registry().names()
          + ", but was '" + architecture + "' (a model of your own needs its ModelFactory registered in "
          + "META-INF/services/" + ModelFactory.class.getName() + ")");
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

  /** Labels per sample: one class per pixel ({@code height * width}) for a per-pixel model, else 1. */
  public int labelsPerSample() {
    return factory().perPixel() ? height * width : 1;
  }

  /** The registered factory of this spec's architecture. */
  public ModelFactory factory() {
    return ModelFactory.registry().get(architecture);
  }
}
