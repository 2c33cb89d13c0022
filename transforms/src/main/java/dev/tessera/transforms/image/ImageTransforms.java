package dev.tessera.transforms.image;

/**
 * The image transforms, as static factories that read as verbs. Each returns the immutable spec of the transform;
 * the kernels ({@link Resize}, {@link Normalize}) apply it to plain arrays.
 */
public final class ImageTransforms {
  private ImageTransforms() {}

  /**
   * Resizes every image to {@code width x height} pixels, bilinear (OpenCV's {@code INTER_LINEAR}) unless changed
   * with {@link ResizeSpec#withInterpolation}. Order-preserving; never drops samples.
   *
   * <pre>{@code
   * ResizeSpec toLenet = ImageTransforms.resize(32, 32);
   * ResizeSpec blocky = ImageTransforms.resize(32, 32).withInterpolation(Interpolation.NEAREST);
   * }</pre>
   */
  public static ResizeSpec resize(int width, int height) {
    return new ResizeSpec(width, height, Interpolation.BILINEAR);
  }

  /**
   * Normalizes every channel to {@code (u8 / 255 - mean) / std} (torchvision's convention; one value per channel,
   * or one value for all channels). Output is CHW {@code float}.
   *
   * <pre>{@code
   * NormalizeSpec mnist = ImageTransforms.normalize(0.1307, 0.3081);
   * NormalizeSpec imagenet = ImageTransforms.normalize(
   *     new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
   * }</pre>
   */
  public static NormalizeSpec normalize(double mean, double std) {
    return new NormalizeSpec(new double[] {mean}, new double[] {std});
  }

  /** Per-channel normalization; see {@link #normalize(double, double)}. */
  public static NormalizeSpec normalize(double[] mean, double[] std) {
    return new NormalizeSpec(mean, std);
  }
}
