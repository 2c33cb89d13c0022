package dev.tessera.transforms.augment;

import dev.tessera.transforms.image.ColorJitter;
import dev.tessera.transforms.image.ColorJitterSpec;
import dev.tessera.transforms.sample.Sample;
import java.util.SplittableRandom;

/**
 * Random colour jitter ({@link ColorJitterSpec}) of a uint8 HWC RGB sample: four draws per sample, in the order
 * brightness, contrast, saturation, hue (a disabled component still draws, so enabling one does not shift the
 * others). Boxes and mask are unchanged.
 */
public final class ColorJitterSample implements RandomSampleFunction {
  private static final long serialVersionUID = 1L;
  private final ColorJitterSpec spec;

  public ColorJitterSample(ColorJitterSpec spec) {
    this.spec = spec;
  }

  @Override
  public String stream() {
    return "color-jitter";
  }

  @Override
  public Sample apply(Sample s, SplittableRandom random) {
    Checks.requireU8Hwc(s, "colorJitter");
    double b = factor(random, spec.brightness());
    double c = factor(random, spec.contrast());
    double sat = factor(random, spec.saturation());
    double hue = Randomness.uniform(random, -spec.hue(), spec.hue());
    byte[] out = new byte[s.pixels().length];
    ColorJitter.apply(s.pixels(), s.height(), s.width(), s.channels(), b, c, sat, hue, out);
    return s.withPixels(out, s.height(), s.width(), s.channels(), s.dtype(), s.layout());
  }

  private static double factor(SplittableRandom random, double amount) {
    return Randomness.uniform(random, Math.max(0, 1 - amount), 1 + amount);
  }
}
