package dev.tessera.transforms.image;

import java.io.Serializable;

/**
 * Crop a {@code width x height} window at a uniformly random position (the image must be at least that large).
 * Boxes are shifted, clipped to the window, and dropped when they keep less than {@code minVisible} of their area.
 *
 * @param width window width in pixels, {@code >= 1}
 * @param height window height in pixels, {@code >= 1}
 * @param minVisible smallest kept fraction of a box's area, in {@code [0, 1]}
 */
public record RandomCropSpec(int width, int height, double minVisible) implements Serializable {
  public RandomCropSpec {
    if (width <= 0 || height <= 0 || width > ResizeSpec.MAX_SIDE || height > ResizeSpec.MAX_SIDE) {
      throw new IllegalArgumentException("randomCrop.width and randomCrop.height must be in 1.."
          + ResizeSpec.MAX_SIDE + " pixels, but were " + width + "x" + height + ".");
    }
    if (!(minVisible >= 0 && minVisible <= 1)) {
      throw new IllegalArgumentException("randomCrop.minVisible must be in [0, 1], but was " + minVisible + ".");
    }
  }
}
