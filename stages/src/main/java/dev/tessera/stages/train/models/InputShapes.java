package dev.tessera.stages.train.models;

import dev.tessera.stages.train.ModelSpec;

/** Input-shape checks shared by the built-in architectures, with messages naming the setting and the value. */
final class InputShapes {
  private InputShapes() {}

  /**
   * Rejects inputs smaller than {@code minSize} pixels on either side.
   *
   * @param reason why the architecture needs that size, such as {@code three stride-2 stages}
   */
  static void requireMinSize(ModelSpec spec, int minSize, String reason) {
    if (spec.height() < minSize || spec.width() < minSize) {
      throw new IllegalArgumentException("model.height and model.width must be >= " + minSize + " for "
          + spec.architecture() + " (" + reason + "), but were " + spec.height() + "x" + spec.width()
          + " (HxW); resize the images in preprocessing, or use a model for small inputs such as lenet or mlp");
    }
  }

  /** Rejects hidden widths for an architecture whose layers are fixed. */
  static void requireNoHidden(ModelSpec spec) {
    if (!spec.hidden().isEmpty()) {
      throw new IllegalArgumentException("model.hidden must be empty for " + spec.architecture()
          + " (its layers are fixed), but was " + spec.hidden());
    }
  }
}
