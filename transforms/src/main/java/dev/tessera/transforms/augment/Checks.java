package dev.tessera.transforms.augment;

import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;

/** Argument checks shared by the augmentations. */
final class Checks {
  private Checks() {}

  static void requireU8Hwc(Sample s, String op) {
    if (s.dtype() != DType.UINT8 || s.layout() != Layout.HWC) {
      throw new IllegalArgumentException(op + " needs a uint8 HWC image, but sample '" + s.id() + "' is "
          + s.dtype() + " " + s.layout() + "; augment before normalize.");
    }
  }
}
