package dev.tessera.transforms.image;

import java.io.Serializable;

/**
 * Random colour changes with torchvision's ranges: brightness and contrast and saturation factors drawn from
 * {@code [max(0, 1 - x), 1 + x]}, a hue shift from {@code [-hue, hue]} turns. Zero disables a component.
 *
 * @param brightness {@code >= 0}
 * @param contrast {@code >= 0}
 * @param saturation {@code >= 0}
 * @param hue in {@code [0, 0.5]} (a fraction of a full turn of the colour wheel)
 */
public record ColorJitterSpec(double brightness, double contrast, double saturation, double hue) implements Serializable {
  public ColorJitterSpec {
    check("brightness", brightness, Double.MAX_VALUE);
    check("contrast", contrast, Double.MAX_VALUE);
    check("saturation", saturation, Double.MAX_VALUE);
    check("hue", hue, 0.5);
  }

  private static void check(String name, double value, double max) {
    if (!(value >= 0 && value <= max) || !Double.isFinite(value)) {
      throw new IllegalArgumentException("colorJitter." + name + " must be in [0, "
          + (max == Double.MAX_VALUE ? "inf)" : max + "]") + ", but was " + value + ".");
    }
  }
}
