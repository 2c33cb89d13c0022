package dev.tessera.stages.segmentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Per-pixel logits to a mask at another size: bilinear on the logits, then the largest class. */
class PixelLogitsTest {

  @Test
  void sameSizeTakesTheLargestClassPerPixelTiesToTheLowest() {
    // (classes 2, h 1, w 3): class 0 [1, 0, 5], class 1 [0, 2, 5].
    float[] logits = {1, 0, 5, 0, 2, 5};
    assertArrayEquals(new byte[] {0, 1, 0}, PixelLogits.argmaxResized(logits, 0, 2, 1, 3, 3, 1));
  }

  @Test
  void upscalingInterpolatesTheLogitsBeforeChoosing() {
    // One row of 2 pixels to 4: source coordinates (x + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25
    // (clamped to 1). Class 0 logits [4, 0] give 4, 3, 1, 0; class 1 a constant 2: the boundary falls between
    // output pixels 1 and 2, where the interpolated class-0 logit crosses 2. A nearest upscale of the mask [0, 1]
    // would give the same here; the offset below shows the interpolation.
    float[] logits = {9, 9, 4, 0, 2, 2};
    assertArrayEquals(new byte[] {0, 0, 1, 1}, PixelLogits.argmaxResized(logits, 2, 2, 1, 2, 4, 1));
    // Class 0 [3, 0] -> 3, 2.25, 0.75, 0 against class 1 at 2.5: only the first pixel stays class 0, where a
    // nearest upscale of the mask [0, 1] would give two.
    float[] close = {3, 0, 2.5f, 2.5f};
    assertArrayEquals(new byte[] {0, 1, 1, 1}, PixelLogits.argmaxResized(close, 0, 2, 1, 2, 4, 1));
  }
}
