package dev.tessera.transforms.augment;

import dev.tessera.transforms.geometry.Boxes;
import dev.tessera.transforms.image.MixupKernel;
import dev.tessera.transforms.image.MixupSpec;
import dev.tessera.transforms.sample.Sample;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mixup of two uint8 HWC samples of the same shape ({@link MixupSpec}): one draw for the ratio; pixels blended,
 * boxes of both concatenated (anchor's first), the anchor's id, label and mask kept.
 */
public final class MixupSample implements GroupFunction {
  private static final long serialVersionUID = 1L;
  private final MixupSpec spec;

  public MixupSample(MixupSpec spec) {
    this.spec = spec;
  }

  @Override
  public int arity() {
    return 2;
  }

  @Override
  public String stream() {
    return "mixup";
  }

  @Override
  public Sample apply(List<Sample> members, SplittableRandom random) {
    if (members.size() != 2) {
      throw new IllegalArgumentException("mixup needs 2 samples, but got " + members.size() + ".");
    }
    Sample a = members.get(0);
    Sample b = members.get(1);
    Checks.requireU8Hwc(a, "mixup");
    Checks.requireU8Hwc(b, "mixup");
    if (a.height() != b.height() || a.width() != b.width() || a.channels() != b.channels()) {
      throw new IllegalArgumentException("mixup needs samples of the same shape, but '" + a.id() + "' is "
          + a.height() + "x" + a.width() + "x" + a.channels() + " and '" + b.id() + "' is " + b.height() + "x"
          + b.width() + "x" + b.channels() + "; letterbox or resize first.");
    }
    double ratio = Randomness.uniform(random, spec.minRatio(), spec.maxRatio());
    byte[] out = new byte[a.pixels().length];
    MixupKernel.apply(a.pixels(), b.pixels(), ratio, out);
    return a.withPixels(out, a.height(), a.width(), a.channels(), a.dtype(), a.layout())
        .withBoxes(Boxes.concat(a.boxes(), b.boxes()));
  }
}
