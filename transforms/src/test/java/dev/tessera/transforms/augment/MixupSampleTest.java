package dev.tessera.transforms.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.transforms.image.MixupKernel;
import dev.tessera.transforms.image.MixupSpec;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The mixup kernel and {@link MixupSample} without Beam, against values computed by hand. */
class MixupSampleTest {

  @Test
  void kernelIsExactAtTheEndsAndRoundsHalfUpBetween() {
    byte[] a = {10, 0, (byte) 255, (byte) 200};
    byte[] b = {21, (byte) 255, 0, 100};
    byte[] dst = new byte[4];
    MixupKernel.apply(a, b, 1, dst);
    assertArrayEquals(a, dst);
    MixupKernel.apply(a, b, 0, dst);
    assertArrayEquals(b, dst);
    MixupKernel.apply(a, b, 0.5, dst);
    // 15.5 -> 16, 127.5 -> 128, 127.5 -> 128, 150.
    assertArrayEquals(new byte[] {16, (byte) 128, (byte) 128, (byte) 150}, dst);
    MixupKernel.apply(a, b, 0.25, dst);
    // 0.25 * 200 + 0.75 * 100 = 125; 0.25 * 255 = 63.75 -> 64.
    assertEquals(125, dst[3] & 0xFF);
    assertEquals(64, dst[2] & 0xFF);
  }

  @Test
  void kernelRejectsRatiosOutsideZeroToOne() {
    byte[] px = new byte[3];
    var e = assertThrows(IllegalArgumentException.class, () -> MixupKernel.apply(px, px, 1.5, new byte[3]));
    assertEquals("mixup ratio must be in [0, 1], but was 1.5.", e.getMessage());
  }

  @Test
  void blendsPixelsKeepsTheAnchorsAnnotationsAndBothBoxes() {
    Sample a = Fixtures.solid("toy/train/a", 6, 8, 100, 0, 40, 3, List.of(new Box(1, 1, 4, 4, 0)));
    Sample b = Fixtures.solid("toy/train/b", 6, 8, 200, 250, 40, 5,
        List.of(new Box(2, 2, 6, 5, 1), new Box(0, 0, 8, 6, 2)));
    Sample out = new MixupSample(new MixupSpec(0.3, 0.3)).apply(List.of(a, b), new SplittableRandom(1));
    assertEquals("toy/train/a", out.id());
    assertArrayEquals(a.mask(), out.mask(), "the anchor's mask");
    assertEquals(List.of(new Box(1, 1, 4, 4, 0), new Box(2, 2, 6, 5, 1), new Box(0, 0, 8, 6, 2)), out.boxes());
    // 0.3 * 100 + 0.7 * 200 = 170; 0.7 * 250 = 175; 40.
    assertArrayEquals(new int[] {170, 175, 40}, new int[] {out.pixels()[0] & 0xFF, out.pixels()[1] & 0xFF,
        out.pixels()[2] & 0xFF});
  }

  @Test
  void drawsTheRatioFromTheSpecsRange() {
    Sample a = Fixtures.solid("toy/train/a", 2, 2, 0, 0, 0, 0, List.of());
    Sample b = Fixtures.solid("toy/train/b", 2, 2, 250, 250, 250, 0, List.of());
    MixupSample mixup = new MixupSample(new MixupSpec(0.2, 0.4));
    for (long seed = 0; seed < 50; seed++) {
      int level = mixup.apply(List.of(a, b), new SplittableRandom(seed)).pixels()[0] & 0xFF;
      // Weight 0.2..0.4 on black: 0.6..0.8 of 250.
      assertTrue(level >= 150 && level <= 200, "level " + level + " for seed " + seed);
    }
  }

  @Test
  void rejectsSamplesOfDifferentShapes() {
    Sample a = Fixtures.solid("toy/train/a", 6, 8, 0, 0, 0, 0, List.of());
    Sample b = Fixtures.solid("toy/train/b", 6, 9, 0, 0, 0, 0, List.of());
    var e = assertThrows(IllegalArgumentException.class,
        () -> new MixupSample(new MixupSpec(0.5, 0.5)).apply(List.of(a, b), new SplittableRandom(1)));
    assertEquals("mixup needs samples of the same shape, but 'toy/train/a' is 6x8x3 and 'toy/train/b' is 6x9x3; "
        + "letterbox or resize first.", e.getMessage());
  }

  @Test
  void specRejectsAnEmptyOrOutOfRangeInterval() {
    var e = assertThrows(IllegalArgumentException.class, () -> new MixupSpec(0.6, 0.4));
    assertEquals("mixup.maxRatio must be in [0.6 (mixup.minRatio), 1], but was 0.4.", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new MixupSpec(-0.1, 0.4));
    assertEquals("mixup.minRatio must be in [0, 1], but was -0.1.", e.getMessage());
  }
}
