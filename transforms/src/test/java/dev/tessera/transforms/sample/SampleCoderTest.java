package dev.tessera.transforms.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class SampleCoderTest {

  static Sample classification() {
    return Sample.ofUint8("mnist/train/00042", new byte[] {0, 1, (byte) 255, 7}, 2, 2, 1, Layout.HWC, 7,
        "train-images-idx3-ubyte#42", "train");
  }

  static Sample detection() {
    float[] pixels = {0.5f, -1f, Float.NaN, 3f, 4f, 5f};
    return Sample.ofUint8("bccd/train/00001", new byte[6], 1, 2, 3, Layout.HWC, null, "a.jpg", "train")
        .withPixels(pixels, 1, 2, 3, Layout.CHW)
        .withBoxes(List.of(new Box(0f, 0f, 1.5f, 1f, 2), new Box(0.25f, 0f, 0.25f, 1f, 0)))
        .withMask(new byte[] {1, 0});
  }

  static Sample withEncodedAndEmptyBoxes() {
    return new Sample("coco128/train/00003", new byte[3], 1, 1, 3, DType.UINT8, Layout.HWC, new byte[] {9, 8, 7},
        null, List.of(), null, "img.jpg", "train");
  }

  @Test
  void roundTripsEveryKindOfSample() throws Exception {
    for (Sample sample : List.of(classification(), detection(), withEncodedAndEmptyBoxes())) {
      // CoderProperties' value checks need Hamcrest, which is not on this module's test class path.
      assertEquals(sample, CoderUtils.clone(SampleCoder.of(), sample));
      assertArrayEquals(CoderUtils.encodeToByteArray(SampleCoder.of(), sample),
          CoderUtils.encodeToByteArray(SampleCoder.of(), copyOf(sample)));
    }
  }

  @Test
  void keepsFloatPixelsBitExact() throws Exception {
    Sample decoded = CoderUtils.clone(SampleCoder.of(), detection());
    assertArrayEquals(detection().floatPixels(), decoded.floatPixels());
    assertEquals(detection().boxes(), decoded.boxes());
  }

  @Test
  void consumesExactlyOneElementFromAStream() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SampleCoder.of().encode(classification(), out);
    SampleCoder.of().encode(detection(), out);
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    assertEquals(classification(), SampleCoder.of().decode(in));
    assertEquals(detection(), SampleCoder.of().decode(in));
    assertEquals(0, in.available());
  }

  @Test
  void isDeterministicAndSerializable() throws Exception {
    SampleCoder.of().verifyDeterministic();
    CoderProperties.coderSerializable(SampleCoder.of());
  }

  private static Sample copyOf(Sample s) {
    return new Sample(s.id(), s.pixels().clone(), s.height(), s.width(), s.channels(), s.dtype(), s.layout(),
        s.encoded() == null ? null : s.encoded().clone(), s.label(), s.boxes(),
        s.mask() == null ? null : s.mask().clone(), s.source(), s.split());
  }
}
