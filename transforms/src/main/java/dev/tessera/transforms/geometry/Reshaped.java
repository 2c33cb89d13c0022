package dev.tessera.transforms.geometry;

import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.util.List;

/**
 * Builds the result of a geometric transform in one step: new pixels, shape, mask and boxes together, because
 * {@link Sample#withPixels} keeps the old mask, whose size no longer fits a resized or cropped image. The encoded
 * bytes are dropped (they describe the old image); id, label, source and split are kept.
 */
public final class Reshaped {
  private Reshaped() {}

  /** {@code s} with a new uint8 HWC image of {@code h x w}, its mask ({@code h * w} bytes or null) and boxes. */
  public static Sample of(Sample s, byte[] pixels, int h, int w, byte[] mask, List<Box> boxes) {
    return new Sample(s.id(), pixels, h, w, s.channels(), DType.UINT8, Layout.HWC, null, s.label(), boxes, mask,
        s.source(), s.split());
  }
}
