package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NormalizeTest {

  @Test
  void grayscaleUsesTorchvisionConvention() {
    Normalize kernel = Normalize.of(ImageTransforms.normalize(0.5, 0.25));
    float[] out = new float[4];
    kernel.apply(new byte[] {0, 51, (byte) 255, (byte) 153}, 2, 2, 1, out);
    // (0 - .5) / .25, (.2 - .5) / .25, (1 - .5) / .25, (.6 - .5) / .25
    assertArrayEquals(new float[] {-2f, -1.2f, 2f, 0.4f}, out, 1e-6f);
  }

  @Test
  void mnistStatistics() {
    Normalize kernel = Normalize.of(ImageTransforms.normalize(0.1307, 0.3081));
    float[] out = new float[2];
    kernel.apply(new byte[] {0, (byte) 255}, 1, 2, 1, out);
    assertArrayEquals(new float[] {-0.42421296f, 2.8214867f}, out, 1e-6f);
  }

  @Test
  void rgbGoesFromInterleavedToPlanes() {
    Normalize kernel = Normalize.of(ImageTransforms.normalize(new double[] {0, 0.5, 1}, new double[] {1, 0.5, 2}));
    // 1x2 image: pixel 0 = (0, 51, 255), pixel 1 = (255, 0, 51).
    byte[] hwc = {0, 51, (byte) 255, (byte) 255, 0, 51};
    float[] chw = new float[6];
    kernel.apply(hwc, 1, 2, 3, chw);
    assertArrayEquals(new float[] {
        0f, 1f, // R: (v/255 - 0) / 1
        -0.6f, -1f, // G: (v/255 - .5) / .5
        0f, -0.4f}, // B: (v/255 - 1) / 2
        chw, 1e-6f);
  }

  @Test
  void singleValueAppliesToEveryChannel() {
    Normalize kernel = Normalize.of(ImageTransforms.normalize(0.0, 1.0));
    float[] chw = new float[6];
    kernel.apply(new byte[] {0, 51, (byte) 255, (byte) 255, 0, 51}, 1, 2, 3, chw);
    assertArrayEquals(new float[] {0f, 1f, 0.2f, 0f, 1f, 0.2f}, chw, 1e-6f);
  }

  @Test
  void rejectsZeroStd() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageTransforms.normalize(new double[] {0.5, 0.5, 0.5}, new double[] {0.2, 0.0, 0.2}));
    assertEquals("normalize.std[1] must be > 0, but was 0.0 (one value per channel; RGB needs 3).", e.getMessage());
  }

  @Test
  void rejectsTwoValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageTransforms.normalize(new double[] {0.5, 0.5}, new double[] {0.2, 0.2}));
    assertEquals("normalize.mean must have 1 or 3 values, but had 2 [0.5, 0.5] (one value per channel; RGB needs 3).",
        e.getMessage());
  }

  @Test
  void rejectsMismatchedLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageTransforms.normalize(new double[] {0.5}, new double[] {0.2, 0.2, 0.2}));
    assertEquals("normalize.mean and normalize.std must have the same length, but had 1 and 3 "
        + "(one value per channel; RGB needs 3).", e.getMessage());
  }

  @Test
  void rejectsRgbSpecOnGrayscaleImage() {
    Normalize kernel = Normalize.of(ImageTransforms.normalize(new double[] {0, 0, 0}, new double[] {1, 1, 1}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> kernel.apply(new byte[4], 2, 2, 1, new float[4]));
    assertEquals("normalize has 3 values per statistic, but the image has 1 channel(s) "
        + "(one value per channel; RGB needs 3).", e.getMessage());
  }

  @Test
  void specCopiesItsArrays() {
    double[] mean = {0.1};
    NormalizeSpec spec = ImageTransforms.normalize(mean, new double[] {0.2});
    mean[0] = 9;
    assertEquals(0.1, spec.mean()[0]);
    assertEquals(spec, ImageTransforms.normalize(0.1, 0.2));
  }
}
