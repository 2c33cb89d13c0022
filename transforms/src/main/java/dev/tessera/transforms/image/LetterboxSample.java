package dev.tessera.transforms.image;

import dev.tessera.transforms.geometry.Reshaped;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleFunction;

/**
 * Letterboxes a uint8 HWC sample ({@link LetterboxSpec}); boxes mapped, mask letterboxed with nearest on the
 * image's grid ({@link Letterbox#applyMask}) and padded with 0.
 */
public final class LetterboxSample implements SampleFunction {
  private static final long serialVersionUID = 1L;
  private final LetterboxSpec spec;

  public LetterboxSample(LetterboxSpec spec) {
    this.spec = spec;
  }

  @Override
  public Sample apply(Sample s) {
    if (s.dtype() != DType.UINT8 || s.layout() != Layout.HWC) {
      throw new IllegalArgumentException("letterbox needs a uint8 HWC image, but sample '" + s.id() + "' is "
          + s.dtype() + " " + s.layout() + "; letterbox before normalize.");
    }
    int side = spec.paddedSide();
    byte[] out = new byte[side * side * s.channels()];
    LetterboxGeometry g = Letterbox.apply(s.pixels(), s.height(), s.width(), s.channels(), spec, out);
    byte[] m = null;
    if (s.mask() != null) {
      m = new byte[side * side];
      Letterbox.applyMask(s.mask(), s.height(), s.width(), spec, m);
    }
    return Reshaped.of(s, out, side, side, m, g.letterbox(s.boxes()));
  }
}
