package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResizeNormalizeTest {
  private static final NormalizeSpec IMAGENET =
      ImageTransforms.normalize(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});

  static byte[] randomImage(int h, int w, int c, long seed) {
    byte[] b = new byte[h * w * c];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  static float[] unfused(byte[] src, int h, int w, int c, int outW, int outH, Interpolation in, NormalizeSpec n) {
    byte[] resized = new byte[outW * outH * c];
    Resize.apply(src, h, w, c, outW, outH, in, resized);
    float[] out = new float[outW * outH * c];
    Normalize.of(n).apply(resized, outH, outW, c, out);
    return out;
  }

  @ParameterizedTest(name = "{0}x{1}x{2} -> {3}x{4} {5}")
  @CsvSource({
      "480, 640, 3, 320, 320, BILINEAR", // P1's shape: exactly 2:1 columns
      "480, 640, 3, 416, 312, BILINEAR",
      "7, 5, 3, 13, 11, BILINEAR", // upscale, clamped edges
      "9, 9, 1, 4, 6, BILINEAR",
      "6, 4, 2, 3, 5, BILINEAR",
      "480, 640, 3, 320, 240, NEAREST"})
  void equalsResizeThenNormalizeExactly(int h, int w, int c, int outW, int outH, Interpolation in) {
    NormalizeSpec n = c == 3 ? IMAGENET : ImageTransforms.normalize(0.5, 0.25);
    byte[] src = randomImage(h, w, c, 7);
    float[] fused = new float[outW * outH * c];
    ResizeNormalize kernel = ResizeNormalize.of(ImageTransforms.resize(outW, outH).withInterpolation(in), n);
    kernel.apply(src, h, w, c, fused);
    assertArrayEquals(unfused(src, h, w, c, outW, outH, in, n), fused);
    // Reusing the kernel's cached tables and buffers for another image gives the same as a fresh kernel.
    byte[] other = randomImage(h, w, c, 8);
    kernel.apply(other, h, w, c, fused);
    assertArrayEquals(unfused(other, h, w, c, outW, outH, in, n), fused);
  }

  @Test
  void regionPlacesAWindowOfTheResizedImageOnACanvas() {
    byte[] src = randomImage(48, 64, 3, 3);
    float[] whole = unfused(src, 48, 64, 3, 32, 24, Interpolation.BILINEAR, IMAGENET);
    float[] canvas = new float[3 * 20 * 30];
    java.util.Arrays.fill(canvas, -9f);
    ResizeNormalize kernel = ResizeNormalize.of(ImageTransforms.resize(1, 1), IMAGENET);
    // Window x 5..14, y 3..10 of the 32x24 resized image, placed at (20, 12) of a 30x20 canvas.
    kernel.applyRegion(src, 48, 64, 3, 32, 24, 5, 3, 10, 8, canvas, 30, 20, 20, 12);
    for (int ch = 0; ch < 3; ch++) {
      for (int y = 0; y < 20; y++) {
        for (int x = 0; x < 30; x++) {
          boolean inside = x >= 20 && y >= 12;
          float expected = inside ? whole[ch * 24 * 32 + (y - 12 + 3) * 32 + (x - 20 + 5)] : -9f;
          assertEquals(expected, canvas[ch * 600 + y * 30 + x], "channel " + ch + " at (" + x + ", " + y + ")");
        }
      }
    }
  }

  @Test
  void rejectsAWindowOutsideTheCanvasNamingIt() {
    ResizeNormalize kernel = ResizeNormalize.of(ImageTransforms.resize(4, 4), IMAGENET);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernel.applyRegion(
        new byte[12], 2, 2, 3, 4, 4, 0, 0, 4, 4, new float[3 * 9], 3, 3, 0, 0));
    assertEquals("resize-normalize window [0, 4) x [0, 4) of a 4x4 image placed at (0, 0) must lie inside both "
        + "the resized image and the 3x3x3 CHW canvas (27 floats).", e.getMessage());
  }
}
