package dev.tessera.transforms.image;

import java.io.Serializable;

/**
 * Mixup: blend two images of the same size, {@code out = ratio * a + (1 - ratio) * b} rounded to the nearest level,
 * with {@code ratio} drawn uniformly from {@code [minRatio, maxRatio]} per output; the boxes of both are kept.
 *
 * @param minRatio weight of the first image, lower bound, in {@code [0, 1]}
 * @param maxRatio upper bound, in {@code [minRatio, 1]}
 */
public record MixupSpec(double minRatio, double maxRatio) implements Serializable {
  public MixupSpec {
    if (!(minRatio >= 0 && minRatio <= 1)) {
      throw new IllegalArgumentException("mixup.minRatio must be in [0, 1], but was " + minRatio + ".");
    }
    if (!(maxRatio >= minRatio && maxRatio <= 1)) {
      throw new IllegalArgumentException("mixup.maxRatio must be in [" + minRatio + " (mixup.minRatio), 1], but was "
          + maxRatio + ".");
    }
  }
}
