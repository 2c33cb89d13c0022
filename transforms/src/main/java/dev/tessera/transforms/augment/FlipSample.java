package dev.tessera.transforms.augment;

import dev.tessera.transforms.geometry.Boxes;
import dev.tessera.transforms.image.Flip;
import dev.tessera.transforms.image.FlipAxis;
import dev.tessera.transforms.image.FlipSpec;
import dev.tessera.transforms.sample.Sample;
import java.util.SplittableRandom;

/** Randomly flips a uint8 HWC sample; boxes and mask are mirrored with it. One draw per sample. */
public final class FlipSample implements RandomSampleFunction {
  private static final long serialVersionUID = 1L;
  private final FlipSpec spec;

  public FlipSample(FlipSpec spec) {
    this.spec = spec;
  }

  @Override
  public String stream() {
    return "flip-" + spec.axis().name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Sample apply(Sample s, SplittableRandom random) {
    Checks.requireU8Hwc(s, "flip");
    if (!(random.nextDouble() < spec.probability())) {
      return s;
    }
    return flip(s, spec.axis());
  }

  /** The sample mirrored along {@code axis}, deterministically (pixels, boxes and mask). */
  public static Sample flip(Sample s, FlipAxis axis) {
    byte[] out = new byte[s.pixels().length];
    Flip.apply(s.pixels(), s.height(), s.width(), s.channels(), axis, out);
    Sample r = s.withPixels(out, s.height(), s.width(), s.channels(), s.dtype(), s.layout());
    if (s.mask() != null) {
      byte[] m = new byte[s.mask().length];
      Flip.apply(s.mask(), s.height(), s.width(), 1, axis, m);
      r = r.withMask(m);
    }
    return r.withBoxes(axis == FlipAxis.HORIZONTAL ? Boxes.flipHorizontal(s.boxes(), s.width())
        : Boxes.flipVertical(s.boxes(), s.height()));
  }
}
