package dev.tessera.transforms.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleTest {

  @Test
  void rejectsPixelCountThatDoesNotMatchTheShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sample.ofUint8("mnist/train/00001", new byte[783], 28, 28, 1, Layout.HWC, 5, "f", "train"));
    assertEquals("sample 'mnist/train/00001': pixels has 783 bytes, but 28x28x1 uint8 needs 784"
        + " (height * width * channels * 1)", e.getMessage());
  }

  @Test
  void rejectsFloatPixelsCountedAsBytes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Sample("x/0", new byte[4], 2, 2, 1, DType.FLOAT32, Layout.CHW, null, null, null, null, "f", "t"));
    assertEquals("sample 'x/0': pixels has 4 bytes, but 2x2x1 float32 needs 16 (height * width * channels * 4)",
        e.getMessage());
  }

  @Test
  void rejectsNonPositiveShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sample.ofUint8("x/0", new byte[0], 0, 28, 1, Layout.HWC, null, "f", "t"));
    assertEquals("sample 'x/0': height, width and channels must be positive, but were 0x28x1", e.getMessage());
  }

  @Test
  void rejectsNegativeLabelAndWrongMaskSize() {
    assertEquals("sample 'x/0': label must be >= 0 (a class index), but was -1",
        assertThrows(IllegalArgumentException.class,
            () -> Sample.ofUint8("x/0", new byte[4], 2, 2, 1, Layout.HWC, -1, "f", "t")).getMessage());
    Sample ok = Sample.ofUint8("x/0", new byte[12], 2, 2, 3, Layout.HWC, null, "f", "t");
    assertEquals("sample 'x/0': mask has 12 bytes, but a 2x2 image needs 4 (one byte per pixel)",
        assertThrows(IllegalArgumentException.class, () -> ok.withMask(new byte[12])).getMessage());
  }

  @Test
  void floatPixelsWidensUint8WithoutScaling() {
    Sample s = Sample.ofUint8("x/0", new byte[] {0, (byte) 128, (byte) 255}, 1, 3, 1, Layout.HWC, null, "f", "t");
    assertArrayEquals(new float[] {0f, 128f, 255f}, s.floatPixels());
  }

  @Test
  void withFloatPixelsStoresLittleEndianFloat32() {
    Sample s = Sample.ofUint8("x/0", new byte[2], 1, 2, 1, Layout.HWC, 3, "f", "t")
        .withPixels(new float[] {1f, -0.5f}, 1, 2, 1, Layout.CHW);
    assertEquals(DType.FLOAT32, s.dtype());
    assertEquals(Layout.CHW, s.layout());
    assertEquals(3, s.label());
    // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F.
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, java.util.Arrays.copyOf(s.pixels(), 4));
    assertArrayEquals(new float[] {1f, -0.5f}, s.floatPixels());
  }

  @Test
  void equalityLooksAtArrayContents() {
    Sample a = Sample.ofUint8("x/0", new byte[] {1, 2}, 1, 2, 1, Layout.HWC, null, "f", "t");
    Sample b = Sample.ofUint8("x/0", new byte[] {1, 2}, 1, 2, 1, Layout.HWC, null, "f", "t");
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, b.withBoxes(List.of()));
    assertNull(a.boxes());
  }

  @Test
  void boxProblemNamesZeroAreaAndOutOfImage() {
    assertNull(new Box(0, 0, 10, 10, 1).problem(10, 10));
    assertEquals("box Box[x1=5.0, y1=5.0, x2=5.0, y2=9.0, classId=0] has zero or negative area",
        new Box(5, 5, 5, 9, 0).problem(10, 10));
    assertEquals("box Box[x1=0.0, y1=0.0, x2=11.0, y2=9.0, classId=0] lies outside the 10x10 image",
        new Box(0, 0, 11, 9, 0).problem(10, 10));
  }
}
