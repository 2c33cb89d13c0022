package dev.tessera.transforms.image;

/** Which way {@link Flip} mirrors an image. */
public enum FlipAxis {
  /** Left-right: column {@code x} goes to {@code width - 1 - x}. */
  HORIZONTAL,
  /** Top-bottom: row {@code y} goes to {@code height - 1 - y}. */
  VERTICAL
}
