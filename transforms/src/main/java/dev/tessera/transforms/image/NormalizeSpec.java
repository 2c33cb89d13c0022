package dev.tessera.transforms.image;

import java.util.Arrays;
import java.util.List;

/**
 * Per-channel normalization {@code (pixel / 255 - mean[c]) / std[c]}, with mean and std in {@code [0, 1]} units
 * (torchvision's convention: MNIST is {@code mean 0.1307, std 0.3081}).
 *
 * <p>One value per channel: 1 for grayscale, 3 for RGB. A single value is applied to every channel.
 *
 * @param mean the per-channel mean in {@code [0, 1]} units; copied
 * @param std the per-channel standard deviation, each {@code > 0}; copied
 */
public record NormalizeSpec(double[] mean, double[] std) {

  public NormalizeSpec {
    if (mean == null || std == null) {
      throw new IllegalArgumentException("normalize.mean and normalize.std must be set, but "
          + (mean == null ? "mean" : "std") + " was null (one value per channel; RGB needs 3).");
    }
    checkLength("mean", mean);
    checkLength("std", std);
    if (mean.length != std.length) {
      throw new IllegalArgumentException("normalize.mean and normalize.std must have the same length, but had "
          + mean.length + " and " + std.length + " (one value per channel; RGB needs 3).");
    }
    for (int i = 0; i < mean.length; i++) {
      if (!Double.isFinite(mean[i])) {
        throw new IllegalArgumentException("normalize.mean[" + i + "] must be finite, but was " + mean[i]
            + " (one value per channel, in [0, 1] units).");
      }
      if (!(std[i] > 0) || !Double.isFinite(std[i])) {
        throw new IllegalArgumentException("normalize.std[" + i + "] must be > 0, but was " + std[i]
            + " (one value per channel; RGB needs 3).");
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** The spec of per-channel values given as lists, as stage specs hold them (a null list is reported as unset). */
  public static NormalizeSpec of(List<Double> mean, List<Double> std) {
    return new NormalizeSpec(mean == null ? null : mean.stream().mapToDouble(Double::doubleValue).toArray(),
        std == null ? null : std.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static void checkLength(String name, double[] values) {
    if (values.length != 1 && values.length != 3) {
      throw new IllegalArgumentException("normalize." + name + " must have 1 or 3 values, but had "
          + values.length + " " + Arrays.toString(values) + " (one value per channel; RGB needs 3).");
    }
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] std() {
    return std.clone();
  }

  /** The number of channels this spec was written for: 1 or 3. */
  public int channels() {
    return mean.length;
  }

  /** The mean for channel {@code c} of an image with {@code channels} channels (a single value serves all). */
  public double meanOf(int c) {
    return mean.length == 1 ? mean[0] : mean[c];
  }

  /** The std for channel {@code c} of an image with {@code channels} channels (a single value serves all). */
  public double stdOf(int c) {
    return std.length == 1 ? std[0] : std[c];
  }

  /**
   * Checks that this spec fits an image with {@code channels} channels: a single value fits any image, three
   * values need exactly three channels.
   */
  public void checkChannels(int channels) {
    if (mean.length != 1 && mean.length != channels) {
      throw new IllegalArgumentException("normalize has " + mean.length + " values per statistic, but the image has "
          + channels + " channel(s) (one value per channel; RGB needs 3).");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NormalizeSpec other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "NormalizeSpec[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
