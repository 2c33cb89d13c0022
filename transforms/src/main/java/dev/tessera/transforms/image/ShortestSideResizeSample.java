package dev.tessera.transforms.image;

import dev.tessera.transforms.geometry.Boxes;
import dev.tessera.transforms.geometry.Reshaped;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleFunction;

/** Resizes a uint8 HWC sample so its shorter side is the spec's size; boxes scaled, mask resized with nearest. */
public final class ShortestSideResizeSample implements SampleFunction {
  private static final long serialVersionUID = 1L;
  private final ShortestSideSpec spec;

  public ShortestSideResizeSample(ShortestSideSpec spec) {
    this.spec = spec;
  }

  @Override
  public Sample apply(Sample s) {
    if (s.dtype() != DType.UINT8 || s.layout() != Layout.HWC) {
      throw new IllegalArgumentException("resize needs a uint8 HWC image, but sample '" + s.id() + "' is "
          + s.dtype() + " " + s.layout() + "; resize before normalize.");
    }
    ResizeSpec r = spec.forImage(s.height(), s.width());
    byte[] out = new byte[r.width() * r.height() * s.channels()];
    Resize.apply(s.pixels(), s.height(), s.width(), s.channels(), r.width(), r.height(), r.interpolation(), out);
    byte[] m = null;
    if (s.mask() != null) {
      m = new byte[r.width() * r.height()];
      Resize.apply(s.mask(), s.height(), s.width(), 1, r.width(), r.height(), r.interpolation().forMasks(),
          m);
    }
    return Reshaped.of(s, out, r.height(), r.width(), m, Boxes.affine(s.boxes(), (double) r.width() / s.width(),
        (double) r.height() / s.height(), 0, 0));
  }
}
