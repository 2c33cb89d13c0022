package dev.tessera.transforms.augment;

import dev.tessera.transforms.image.TestImages;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.util.Arrays;
import java.util.List;

/** Small samples for augmentation tests. */
final class Fixtures {
  private Fixtures() {}

  /** A solid-colour RGB sample with the given boxes and a mask of value {@code maskValue}. */
  static Sample solid(String id, int h, int w, int r, int g, int b, int maskValue, List<Box> boxes) {
    byte[] px = new byte[h * w * 3];
    for (int i = 0; i < h * w; i++) {
      px[3 * i] = (byte) r;
      px[3 * i + 1] = (byte) g;
      px[3 * i + 2] = (byte) b;
    }
    byte[] mask = new byte[h * w];
    Arrays.fill(mask, (byte) maskValue);
    return new Sample(id, px, h, w, 3, DType.UINT8, Layout.HWC, null, null, boxes, mask, "test", "train");
  }

  /** The committed real-image fixtures as samples with a few boxes and a mask (value = x % 7). */
  static List<Sample> real() {
    return TestImages.fixtures().stream().map(img -> {
      byte[] mask = new byte[img.height() * img.width()];
      for (int i = 0; i < mask.length; i++) {
        mask[i] = (byte) (i % img.width() % 7);
      }
      List<Box> boxes = List.of(new Box(3, 4, 40, 50, 0), new Box(img.width() / 2f, 10, img.width() - 1, 60, 1),
          new Box(0, 0, img.width(), img.height(), 2));
      return new Sample("fixture/" + img.name(), img.hwc(), img.height(), img.width(), 3, DType.UINT8, Layout.HWC,
          null, null, boxes, mask, img.name(), "train");
    }).toList();
  }
}
