package dev.tessera.transforms.image;

import java.util.Objects;

/**
 * Resize every image to {@code width x height} pixels.
 *
 * @param width output width in pixels, {@code 1..}{@link #MAX_SIDE}
 * @param height output height in pixels, {@code 1..}{@link #MAX_SIDE}
 * @param interpolation how source pixels are sampled
 */
public record ResizeSpec(int width, int height, Interpolation interpolation) {
  /** The largest side accepted; larger sizes are almost always a unit mistake. */
  public static final int MAX_SIDE = 1 << 15;

  public ResizeSpec {
    if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException("resize.width and resize.height must be in 1.." + MAX_SIDE
          + " pixels, but were " + width + "x" + height + ".");
    }
    Objects.requireNonNull(interpolation,
        "resize.interpolation must be set (BILINEAR or NEAREST), but was null.");
  }

  /** A copy with another interpolation. */
  public ResizeSpec withInterpolation(Interpolation value) {
    return new ResizeSpec(width, height, value);
  }
}
