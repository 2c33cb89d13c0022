package dev.tessera.transforms.image;

import java.io.Serializable;

import java.util.Objects;

/**
 * Flip along {@code axis} with probability {@code probability}.
 *
 * @param axis which way to mirror
 * @param probability chance of flipping each sample, in {@code [0, 1]}
 */
public record FlipSpec(FlipAxis axis, double probability) implements Serializable {
  public FlipSpec {
    Objects.requireNonNull(axis, "flip.axis must be HORIZONTAL or VERTICAL, but was null.");
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("flip.probability must be in [0, 1], but was " + probability + ".");
    }
  }

  /** Left-right flip with the given probability. */
  public static FlipSpec horizontal(double probability) {
    return new FlipSpec(FlipAxis.HORIZONTAL, probability);
  }

  /** Top-bottom flip with the given probability. */
  public static FlipSpec vertical(double probability) {
    return new FlipSpec(FlipAxis.VERTICAL, probability);
  }
}
