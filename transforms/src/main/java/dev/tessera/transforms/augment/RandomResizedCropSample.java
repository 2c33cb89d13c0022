package dev.tessera.transforms.augment;

import dev.tessera.transforms.geometry.Boxes;
import dev.tessera.transforms.geometry.Reshaped;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.image.RandomResizedCropSpec;
import dev.tessera.transforms.image.Resize;
import dev.tessera.transforms.sample.Sample;
import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomResizedCrop} on a uint8 HWC sample ({@link RandomResizedCropSpec}); boxes are cropped,
 * clipped and scaled with the window, the mask cropped and resized with nearest
 * ({@link Interpolation#NEAREST_EXACT}, on the grid the bilinear image uses).
 */
public final class RandomResizedCropSample implements RandomSampleFunction {
  private static final long serialVersionUID = 1L;
  private final RandomResizedCropSpec spec;

  public RandomResizedCropSample(RandomResizedCropSpec spec) {
    this.spec = spec;
  }

  @Override
  public String stream() {
    return "random-resized-crop";
  }

  @Override
  public Sample apply(Sample s, SplittableRandom random) {
    Checks.requireU8Hwc(s, "randomResizedCrop");
    int[] win = window(s.height(), s.width(), random);
    Sample cropped = RandomCropSample.crop(s, win[0], win[1], win[2], win[3], 0);
    int ow = spec.width();
    int oh = spec.height();
    byte[] out = new byte[ow * oh * s.channels()];
    Resize.apply(cropped.pixels(), win[3], win[2], s.channels(), ow, oh, spec.interpolation(), out);
    byte[] m = null;
    if (cropped.mask() != null) {
      m = new byte[ow * oh];
      Resize.apply(cropped.mask(), win[3], win[2], 1, ow, oh, spec.interpolation().forMasks(), m);
    }
    return Reshaped.of(s, out, oh, ow, m,
        Boxes.affine(cropped.boxes(), (double) ow / win[2], (double) oh / win[3], 0, 0));
  }

  /** {x, y, w, h} of the window, torchvision's algorithm with this generator. */
  int[] window(int height, int width, SplittableRandom random) {
    double area = (double) height * width;
    double logLo = Math.log(spec.minRatio());
    double logHi = Math.log(spec.maxRatio());
    for (int attempt = 0; attempt < 10; attempt++) {
      double target = area * Randomness.uniform(random, spec.minScale(), spec.maxScale());
      double ratio = Math.exp(Randomness.uniform(random, logLo, logHi));
      int w = (int) Math.round(Math.sqrt(target * ratio));
      int h = (int) Math.round(Math.sqrt(target / ratio));
      if (w > 0 && h > 0 && w <= width && h <= height) {
        int y = random.nextInt(height - h + 1);
        int x = random.nextInt(width - w + 1);
        return new int[] {x, y, w, h};
      }
    }
    double inRatio = (double) width / height;
    int w;
    int h;
    if (inRatio < spec.minRatio()) {
      w = width;
      h = (int) Math.round(w / spec.minRatio());
    } else if (inRatio > spec.maxRatio()) {
      h = height;
      w = (int) Math.round(h * spec.maxRatio());
    } else {
      w = width;
      h = height;
    }
    w = Math.max(1, Math.min(w, width));
    h = Math.max(1, Math.min(h, height));
    return new int[] {(width - w) / 2, (height - h) / 2, w, h};
  }
}
