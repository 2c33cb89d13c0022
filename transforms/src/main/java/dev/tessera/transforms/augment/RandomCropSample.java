package dev.tessera.transforms.augment;

import dev.tessera.transforms.geometry.Boxes;
import dev.tessera.transforms.geometry.Reshaped;
import dev.tessera.transforms.image.Crop;
import dev.tessera.transforms.image.RandomCropSpec;
import dev.tessera.transforms.sample.Sample;
import java.util.SplittableRandom;

/** Crops a uint8 HWC sample at a random position; boxes shifted and clipped, mask cropped with it. */
public final class RandomCropSample implements RandomSampleFunction {
  private static final long serialVersionUID = 1L;
  private final RandomCropSpec spec;

  public RandomCropSample(RandomCropSpec spec) {
    this.spec = spec;
  }

  @Override
  public String stream() {
    return "random-crop";
  }

  @Override
  public Sample apply(Sample s, SplittableRandom random) {
    Checks.requireU8Hwc(s, "randomCrop");
    if (s.width() < spec.width() || s.height() < spec.height()) {
      throw new IllegalArgumentException("randomCrop of " + spec.width() + "x" + spec.height() + " needs an image "
          + "at least that large, but sample '" + s.id() + "' is " + s.width() + "x" + s.height()
          + "; resize or letterbox first.");
    }
    int x = random.nextInt(s.width() - spec.width() + 1);
    int y = random.nextInt(s.height() - spec.height() + 1);
    return crop(s, x, y, spec.width(), spec.height(), spec.minVisible());
  }

  /** The window {@code [x, x + w) x [y, y + h)} of the sample, with boxes and mask following. */
  static Sample crop(Sample s, int x, int y, int w, int h, double minVisible) {
    byte[] out = new byte[w * h * s.channels()];
    Crop.apply(s.pixels(), s.height(), s.width(), s.channels(), x, y, w, h, out);
    byte[] m = null;
    if (s.mask() != null) {
      m = new byte[w * h];
      Crop.apply(s.mask(), s.height(), s.width(), 1, x, y, w, h, m);
    }
    return Reshaped.of(s, out, h, w, m,
        Boxes.clip(Boxes.affine(s.boxes(), 1, 1, -x, -y), 0, 0, w, h, 0, minVisible));
  }
}
