package dev.tessera.stages.preprocess;

import dev.tessera.pipelines.dag.StageSpec;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.image.NormalizeSpec;
import dev.tessera.transforms.image.ResizeSpec;
import java.util.List;

/**
 * Settings of {@link Preprocess}: an optional resize, then normalize to float CHW.
 *
 * @param resizeWidth target width in pixels, or 0 to keep the size
 * @param resizeHeight target height in pixels, or 0 to keep the size
 * @param interpolation how to resize
 * @param mean per-channel mean in [0, 1] units (one value, or one per channel)
 * @param std per-channel standard deviation in [0, 1] units, each > 0
 */
public record PreprocessSpec(int resizeWidth, int resizeHeight, Interpolation interpolation, List<Double> mean,
    List<Double> std) implements StageSpec {

  public PreprocessSpec {
    if ((resizeWidth == 0) != (resizeHeight == 0)) {
      throw new IllegalArgumentException("preprocess.resizeWidth and preprocess.resizeHeight must both be 0 (keep "
          + "the size) or both be positive, but were " + resizeWidth + "x" + resizeHeight);
    }
    if (resizeWidth < 0 || resizeHeight < 0) {
      throw new IllegalArgumentException("preprocess.resizeWidth and preprocess.resizeHeight must be >= 0, but were "
          + resizeWidth + "x" + resizeHeight);
    }
    if (interpolation == null) {
      throw new IllegalArgumentException("preprocess.interpolation must be BILINEAR or NEAREST, but was null");
    }
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    NormalizeSpec.of(mean, std); // validates the values, with normalize.* messages
    if (resizeWidth > 0) {
      new ResizeSpec(resizeWidth, resizeHeight, interpolation);
    }
  }

  /** The normalize kernel's spec. */
  public NormalizeSpec normalize() {
    return NormalizeSpec.of(mean, std);
  }

  /** True when images are resized. */
  public boolean resizes() {
    return resizeWidth > 0;
  }

  /** The resize kernel's spec (only when {@link #resizes()}). */
  public ResizeSpec resize() {
    return new ResizeSpec(resizeWidth, resizeHeight, interpolation);
  }
}
