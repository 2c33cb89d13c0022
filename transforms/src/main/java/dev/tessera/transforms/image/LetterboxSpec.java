package dev.tessera.transforms.image;

import java.io.Serializable;

import java.util.Objects;

/**
 * Letterbox: resize keeping the aspect ratio so the longer side is {@code size}, then pad to a square whose side
 * is {@code size} rounded up to a multiple of {@code stride}, centring the image (YOLO's input convention).
 *
 * @param size target length of the longer side, in pixels, {@code 1..}{@link ResizeSpec#MAX_SIDE}
 * @param stride the padded side is a multiple of this (32 for most detectors), {@code 1..size}
 * @param padValue the level written into the padding, {@code 0..255} (114 in YOLO)
 * @param interpolation how the image is resized (masks with its {@link Interpolation#forMasks()}: never blended)
 */
public record LetterboxSpec(int size, int stride, int padValue, Interpolation interpolation) implements Serializable {
  public LetterboxSpec {
    if (size <= 0 || size > ResizeSpec.MAX_SIDE) {
      throw new IllegalArgumentException("letterbox.size must be in 1.." + ResizeSpec.MAX_SIDE + " pixels, but was "
          + size + ".");
    }
    if (stride <= 0 || stride > size) {
      throw new IllegalArgumentException("letterbox.stride must be in 1.." + size + " (letterbox.size), but was "
          + stride + ".");
    }
    if (padValue < 0 || padValue > 255) {
      throw new IllegalArgumentException("letterbox.padValue must be a u8 level in 0..255, but was " + padValue
          + ".");
    }
    Objects.requireNonNull(interpolation, "letterbox.interpolation must be BILINEAR or NEAREST, but was null.");
  }

  /** The side of the padded square: {@code size} rounded up to a multiple of {@code stride}. */
  public int paddedSide() {
    return (size + stride - 1) / stride * stride;
  }

  public LetterboxSpec withStride(int value) {
    return new LetterboxSpec(size, value, padValue, interpolation);
  }

  public LetterboxSpec withPadValue(int value) {
    return new LetterboxSpec(size, stride, value, interpolation);
  }

  public LetterboxSpec withInterpolation(Interpolation value) {
    return new LetterboxSpec(size, stride, padValue, value);
  }
}
