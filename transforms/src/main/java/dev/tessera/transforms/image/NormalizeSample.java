package dev.tessera.transforms.image;

import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleFunction;

/**
 * Normalizes a sample's uint8 HWC image to float32 CHW with the {@link Normalize} kernel,
 * {@code (u8 / 255 - mean[c]) / std[c]}. Boxes and masks are unchanged (no geometry changes).
 */
public final class NormalizeSample implements SampleFunction {
  private static final long serialVersionUID = 1L;
  private final double[] mean;
  private final double[] std;
  private transient Normalize kernel;

  public NormalizeSample(NormalizeSpec spec) {
    this.mean = spec.mean().clone();
    this.std = spec.std().clone();
  }

  @Override
  public Sample apply(Sample sample) {
    if (sample.dtype() != DType.UINT8 || sample.layout() != Layout.HWC) {
      throw new IllegalArgumentException("normalize needs a uint8 HWC image, but sample '" + sample.id()
          + "' is " + sample.dtype() + " " + sample.layout() + ".");
    }
    if (kernel == null) {
      kernel = Normalize.of(new NormalizeSpec(mean, std)); // rebuilt after deserialization on a worker
    }
    float[] out = new float[sample.height() * sample.width() * sample.channels()];
    kernel.apply(sample.pixels(), sample.height(), sample.width(), sample.channels(), out);
    return sample.withPixels(out, sample.height(), sample.width(), sample.channels(), Layout.CHW);
  }
}
