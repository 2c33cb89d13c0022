package dev.tessera.transforms.image;

import java.io.Serializable;

import java.util.Objects;

/**
 * torchvision's {@code RandomResizedCrop}: pick a window covering a random fraction {@code [minScale, maxScale]} of
 * the image area with a random aspect ratio (log-uniform in {@code [minRatio, maxRatio]}), up to 10 tries, else the
 * largest centred window within the ratio range; then resize it to {@code width x height}.
 *
 * @param width output width in pixels
 * @param height output height in pixels
 * @param minScale lower bound of the area fraction, in {@code (0, 1]}
 * @param maxScale upper bound, in {@code [minScale, 1]}
 * @param minRatio lower bound of width / height, {@code > 0}
 * @param maxRatio upper bound, {@code >= minRatio}
 * @param interpolation how the window is resized (masks use nearest)
 */
public record RandomResizedCropSpec(int width, int height, double minScale, double maxScale, double minRatio,
    double maxRatio, Interpolation interpolation) implements Serializable {
  public RandomResizedCropSpec {
    if (width <= 0 || height <= 0 || width > ResizeSpec.MAX_SIDE || height > ResizeSpec.MAX_SIDE) {
      throw new IllegalArgumentException("randomResizedCrop.width and randomResizedCrop.height must be in 1.."
          + ResizeSpec.MAX_SIDE + " pixels, but were " + width + "x" + height + ".");
    }
    if (!(minScale > 0 && minScale <= 1)) {
      throw new IllegalArgumentException("randomResizedCrop.minScale must be in (0, 1], but was " + minScale + ".");
    }
    if (!(maxScale >= minScale && maxScale <= 1)) {
      throw new IllegalArgumentException("randomResizedCrop.maxScale must be in [" + minScale + ", 1], but was "
          + maxScale + ".");
    }
    if (!(minRatio > 0) || !(maxRatio >= minRatio) || !Double.isFinite(maxRatio)) {
      throw new IllegalArgumentException("randomResizedCrop ratio range must satisfy 0 < minRatio <= maxRatio, but "
          + "was [" + minRatio + ", " + maxRatio + "].");
    }
    Objects.requireNonNull(interpolation, "randomResizedCrop.interpolation must be set, but was null.");
  }

  /** torchvision's defaults: scale [0.08, 1], ratio [3/4, 4/3], bilinear. */
  public static RandomResizedCropSpec of(int width, int height) {
    return new RandomResizedCropSpec(width, height, 0.08, 1.0, 3.0 / 4, 4.0 / 3, Interpolation.BILINEAR);
  }
}
