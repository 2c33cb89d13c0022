package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResizeTest {

  private static byte[] u8(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static int[] levels(byte[] values) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] & 0xFF;
    }
    return out;
  }

  private static int[] resize(byte[] src, int h, int w, int c, int outW, int outH, Interpolation interpolation) {
    byte[] dst = new byte[outW * outH * c];
    Resize.apply(src, h, w, c, outW, outH, interpolation, dst);
    return levels(dst);
  }

  @Test
  void upscales2x2To4x4WithHalfPixelCentres() {
    // Columns and rows sample at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1): weights 1, .75/.25,
    // .25/.75, 1. Row 0 -> 0, 25, 75, 100; row 1 -> 200, 213.75, 241.25, 255; then blended vertically.
    int[] out = resize(u8(0, 100, 200, 255), 2, 2, 1, 4, 4, Interpolation.BILINEAR);
    assertArrayEquals(new int[] {
        0, 25, 75, 100,
        50, 72, 117, 139, // .75 * row0 + .25 * row1: 50, 72.1875, 116.5625, 138.75
        150, 167, 200, 216, // .25 * row0 + .75 * row1: 150, 166.5625, 199.6875, 216.25
        200, 214, 241, 255}, out);
  }

  @Test
  void upscalesEachChannelIndependently() {
    // The same 2x2 image in channel 0, its inverse in channel 1, a constant in channel 2.
    byte[] src = u8(0, 255, 9, 100, 155, 9, 200, 55, 9, 255, 0, 9);
    int[] out = resize(src, 2, 2, 3, 4, 4, Interpolation.BILINEAR);
    int[] expected0 = {0, 25, 75, 100, 50, 72, 117, 139, 150, 167, 200, 216, 200, 214, 241, 255};
    for (int i = 0; i < 16; i++) {
      assertEquals(expected0[i], out[3 * i], "channel 0, pixel " + i);
      assertEquals(255 - expected0[i], out[3 * i + 1], "channel 1, pixel " + i);
      assertEquals(9, out[3 * i + 2], "channel 2, pixel " + i);
    }
  }

  @Test
  void halvingAveragesEach2x2BlockRoundingHalfUp() {
    int[] out = resize(u8(
        0, 1, 10, 20,
        2, 3, 30, 41,
        255, 255, 0, 0,
        255, 254, 0, 1), 4, 4, 1, 2, 2, Interpolation.BILINEAR);
    // (0+1+2+3)/4 = 1.5 -> 2; (10+20+30+41)/4 = 25.25 -> 25; 1019/4 = 254.75 -> 255; 1/4 -> 0.
    assertArrayEquals(new int[] {2, 25, 255, 0}, out);
  }

  @Test
  void downscalesByNonIntegerFactorWithTwoTaps() {
    // 3 -> 2 columns: samples at 0.25 and 1.75; no low-pass filter (as OpenCV's INTER_LINEAR).
    int[] out = resize(u8(0, 100, 200), 1, 3, 1, 2, 1, Interpolation.BILINEAR);
    assertArrayEquals(new int[] {25, 175}, out);
  }

  @Test
  void nearestUpscaleRepeatsPixels() {
    int[] out = resize(u8(1, 2, 3, 4), 2, 2, 1, 4, 4, Interpolation.NEAREST);
    assertArrayEquals(new int[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, out);
  }

  /** A 3x5 one-channel image whose level is 10 * (row + 1) + column. */
  private static byte[] threeByFive() {
    return u8(
        10, 11, 12, 13, 14,
        20, 21, 22, 23, 24,
        30, 31, 32, 33, 34);
  }

  @Test
  void nearestDownscaleTakesFloorOfScaledCoordinate() {
    // 5 -> 2 columns: floor(0 * 2.5) = 0, floor(1 * 2.5) = 2 (no half-pixel shift); 3 -> 2 rows: 0 and 1.
    int[] out = resize(threeByFive(), 3, 5, 1, 2, 2, Interpolation.NEAREST);
    assertArrayEquals(new int[] {10, 12, 20, 22}, out);
  }

  @Test
  void nearestExactTakesThePixelHoldingTheOutputCentre() {
    // 5 -> 2 columns: floor(0.5 * 2.5) = 1, floor(1.5 * 2.5) = 3; 3 -> 2 rows: floor(0.75) = 0, floor(2.25) = 2.
    int[] out = resize(threeByFive(), 3, 5, 1, 2, 2, Interpolation.NEAREST_EXACT);
    assertArrayEquals(new int[] {11, 13, 31, 33}, out);
    // Halving: the pixel right of each pair's centre, where NEAREST takes the left one.
    assertArrayEquals(new int[] {2, 4}, resize(u8(1, 2, 3, 4), 1, 4, 1, 2, 1, Interpolation.NEAREST_EXACT));
    assertArrayEquals(new int[] {1, 3}, resize(u8(1, 2, 3, 4), 1, 4, 1, 2, 1, Interpolation.NEAREST));
  }

  @Test
  void nearestKeepsChannelsTogether() {
    int[] out = resize(u8(1, 2, 3, 4, 5, 6), 1, 2, 3, 4, 1, Interpolation.NEAREST);
    assertArrayEquals(new int[] {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, out);
  }

  @Test
  void identitySizeCopiesExactly() {
    byte[] src = new byte[5 * 7 * 3];
    for (int i = 0; i < src.length; i++) {
      src[i] = (byte) (i * 37);
    }
    for (Interpolation interpolation : Interpolation.values()) {
      assertArrayEquals(levels(src), resize(src, 5, 7, 3, 7, 5, interpolation), interpolation.name());
    }
  }

  @Test
  void constantImageStaysConstantAtAnySize() {
    byte[] src = new byte[7 * 5];
    java.util.Arrays.fill(src, (byte) 201);
    for (int[] size : new int[][] {{3, 2}, {13, 11}, {1, 1}, {64, 3}}) {
      for (int v : resize(src, 7, 5, 1, size[0], size[1], Interpolation.BILINEAR)) {
        assertEquals(201, v);
      }
    }
  }

  @Test
  void rejectsWrongBufferSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Resize.apply(new byte[5], 2, 2, 1, 4, 4, Interpolation.BILINEAR, new byte[16]));
    assertEquals("resize source must hold h*w*c = 2*2*1 = 4 bytes (HWC), but held 5.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Resize.apply(new byte[4], 2, 2, 1, 4, 4, Interpolation.BILINEAR, new byte[15]));
    assertEquals("resize destination must hold outH*outW*c = 4*4*1 = 16 bytes (HWC), but held 15.", e.getMessage());
  }

  @Test
  void specRejectsNonPositiveWidth() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageTransforms.resize(0, 32));
    assertEquals("resize.width and resize.height must be in 1..32768 pixels, but were 0x32.", e.getMessage());
  }

  @Test
  void specDefaultsToBilinearAndWithInterpolationChangesIt() {
    ResizeSpec spec = ImageTransforms.resize(32, 24);
    assertEquals(new ResizeSpec(32, 24, Interpolation.BILINEAR), spec);
    assertEquals(Interpolation.NEAREST, spec.withInterpolation(Interpolation.NEAREST).interpolation());
  }
}
