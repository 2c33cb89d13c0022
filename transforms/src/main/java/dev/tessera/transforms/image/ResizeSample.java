package dev.tessera.transforms.image;

import dev.tessera.transforms.geometry.Reshaped;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleFunction;

/**
 * Resizes a sample's uint8 HWC image to the spec's size with the {@link Resize} kernel; boxes are scaled with it,
 * and a mask is resized with nearest on the same grid ({@link Interpolation#forMasks()}).
 * Order-preserving; never drops samples.
 */
public final class ResizeSample implements SampleFunction {
  private static final long serialVersionUID = 1L;
  private final int width;
  private final int height;
  private final Interpolation interpolation;

  public ResizeSample(ResizeSpec spec) {
    this.width = spec.width();
    this.height = spec.height();
    this.interpolation = spec.interpolation();
  }

  @Override
  public Sample apply(Sample sample) {
    if (sample.dtype() != DType.UINT8 || sample.layout() != Layout.HWC) {
      throw new IllegalArgumentException("resize needs a uint8 HWC image, but sample '" + sample.id() + "' is "
          + sample.dtype() + " " + sample.layout() + "; resize before normalize.");
    }
    if (sample.width() == width && sample.height() == height) {
      return sample;
    }
    byte[] out = new byte[width * height * sample.channels()];
    Resize.apply(sample.pixels(), sample.height(), sample.width(), sample.channels(), width, height, interpolation,
        out);
    // The mask follows with nearest on the bilinear grid (labels must not blend, nor shift); without one the old withPixels path is kept.
    byte[] mask = null;
    if (sample.mask() != null) {
      mask = new byte[width * height];
      Resize.apply(sample.mask(), sample.height(), sample.width(), 1, width, height, interpolation.forMasks(),
          mask);
    }
    Sample resized = sample.mask() == null
        ? sample.withPixels(out, height, width, sample.channels(), DType.UINT8, Layout.HWC)
        : Reshaped.of(sample, out, height, width, mask, sample.boxes());
    if (sample.boxes() == null || sample.boxes().isEmpty()) {
      return resized;
    }
    float sx = (float) width / sample.width();
    float sy = (float) height / sample.height();
    return resized.withBoxes(sample.boxes().stream()
        .map(b -> new dev.tessera.transforms.sample.Box(b.x1() * sx, b.y1() * sy, b.x2() * sx, b.y2() * sy,
            b.classId()))
        .toList());
  }
}
