package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ColorJitterTest {
  private static final byte[] PIXELS = {(byte) 200, 100, 50, 10, 20, 30};

  private static int[] jitter(double b, double c, double s, double h) {
    byte[] out = new byte[PIXELS.length];
    ColorJitter.apply(PIXELS, 1, 2, 3, b, c, s, h, out);
    int[] levels = new int[out.length];
    for (int i = 0; i < out.length; i++) {
      levels[i] = out[i] & 0xFF;
    }
    return levels;
  }

  @Test
  void neutralFactorsLeaveTheImageUnchanged() {
    assertArrayEquals(new int[] {200, 100, 50, 10, 20, 30}, jitter(1, 1, 1, 0));
  }

  @Test
  void brightnessScalesAndClamps() {
    assertArrayEquals(new int[] {255, 150, 75, 15, 30, 45}, jitter(1.5, 1, 1, 0));
  }

  @Test
  void zeroSaturationGivesGrey() {
    // grey = 0.299 R + 0.587 G + 0.114 B: 124.2 and 17.71
    assertArrayEquals(new int[] {124, 124, 124, 18, 18, 18}, jitter(1, 1, 0, 0));
  }

  @Test
  void hueHalfTurnGivesTheComplementaryHue() {
    // (200, 100, 50): H = 20 deg, S = 0.75, V = 200 -> H = 200 deg: (50, 150, 200).
    int[] out = jitter(1, 1, 1, 0.5);
    assertArrayEquals(new int[] {50, 150, 200}, new int[] {out[0], out[1], out[2]});
  }

  @Test
  void rejectsHueAboveHalfATurn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ColorJitterSpec(0.2, 0.2, 0.2, 0.6));
    assertEquals("colorJitter.hue must be in [0, 0.5], but was 0.6.", e.getMessage());
  }
}
