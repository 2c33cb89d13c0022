package dev.tessera.transforms.image;

import java.io.Serializable;

import java.util.Objects;

/**
 * Resize keeping the aspect ratio so the shorter side is {@code size} pixels (torchvision's {@code Resize(int)}):
 * the longer side becomes {@code round(long * size / short)}.
 *
 * @param size target length of the shorter side, {@code 1..}{@link ResizeSpec#MAX_SIDE}
 * @param interpolation how source pixels are sampled
 */
public record ShortestSideSpec(int size, Interpolation interpolation) implements Serializable {
  public ShortestSideSpec {
    if (size <= 0 || size > ResizeSpec.MAX_SIDE) {
      throw new IllegalArgumentException("resize.shortestSide must be in 1.." + ResizeSpec.MAX_SIDE
          + " pixels, but was " + size + ".");
    }
    Objects.requireNonNull(interpolation, "resize.interpolation must be BILINEAR, NEAREST or NEAREST_EXACT, but was null.");
  }

  /** The forced-size spec this resolves to for an {@code h x w} image. */
  public ResizeSpec forImage(int h, int w) {
    if (h <= w) {
      return new ResizeSpec((int) Math.max(1, Math.round((double) w * size / h)), size, interpolation);
    }
    return new ResizeSpec(size, (int) Math.max(1, Math.round((double) h * size / w)), interpolation);
  }
}
