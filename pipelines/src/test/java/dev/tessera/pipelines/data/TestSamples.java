package dev.tessera.pipelines.data;

import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.util.ArrayList;
import java.util.List;

/** Small in-memory samples covering every column: uint8 and float32, boxes, empty boxes and nulls. */
final class TestSamples {
  static final List<String> CLASSES = List.of("zero", "one", "two");

  private TestSamples() {}

  /** Sample {@code i}: a 3x2 uint8 gray image whose pixels are {@code i*10 + k}, label {@code i % 3}. */
  static Sample gray(int i) {
    byte[] pixels = new byte[6];
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = (byte) (i * 10 + k);
    }
    return Sample.ofUint8(String.format("toy/train/%05d", i), pixels, 3, 2, 1, Layout.HWC, i % 3, "toy#" + i,
        "train");
  }

  static List<Sample> grays(int n) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(gray(i));
    }
    return out;
  }

  /** Samples exercising the optional columns: boxes, empty boxes, encoded bytes, masks, float32 CHW, nulls. */
  static List<Sample> mixed() {
    Sample boxed = new Sample("toy/train/b0", new byte[2 * 2 * 3], 2, 2, 3, DType.UINT8, Layout.HWC,
        new byte[] {(byte) 0xFF, (byte) 0xD8, 1}, null,
        List.of(new Box(0f, 0.5f, 2f, 1.5f, 2), new Box(1f, 1f, 1f, 2f, 0)), new byte[] {0, 1, 1, 0}, "b0.jpg",
        "train");
    Sample noObjects = new Sample("toy/train/b1", new byte[4], 2, 2, 1, DType.UINT8, Layout.HWC, null, null,
        List.of(), null, "b1.jpg", "train");
    Sample floats = gray(7).withPixels(new float[] {-1f, 0.5f, 2f, 3.25f, Float.MAX_VALUE, 0f}, 1, 2, 3,
        Layout.CHW);
    Sample unlabeled = Sample.ofUint8("toy/test/00000", new byte[] {9}, 1, 1, 1, Layout.HWC, null, "t", "test");
    return List.of(boxed, noObjects, floats, gray(1), unlabeled);
  }
}
