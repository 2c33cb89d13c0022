package dev.tessera.stages.detection.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.transforms.sample.Box;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link EpochAugment}: full-scale mosaic keeps the test images' box sizes; draws are per (seed, epoch, id). */
class EpochAugmentTest {
  private static final int SIDE = 64;

  /** Image {@code i}: every pixel of channel c is {@code 10 i + c}, one 8x6 box at (28, 30) of class i % 3. */
  private static List<EpochAugment.Source> shard(int n) {
    List<EpochAugment.Source> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] px = new float[3 * SIDE * SIDE];
      for (int c = 0; c < 3; c++) {
        Arrays.fill(px, c * SIDE * SIDE, (c + 1) * SIDE * SIDE, 10 * i + c);
      }
      out.add(new EpochAugment.Source("img-" + i, px, List.of(new Box(28, 30, 36, 36, i % 3))));
    }
    return out;
  }

  private static EpochAugment mosaicOnly() {
    return new EpochAugment(1, false, 0, new double[] {0, 0, 0}, new double[] {1, 1, 1});
  }

  @Test
  void fullScaleMosaicKeepsEveryWhollyVisibleBoxAtItsOriginalSize() {
    List<EpochAugment.Source> shard = shard(6);
    int whole = 0;
    for (int epoch = 0; epoch < 20; epoch++) {
      for (int i = 0; i < shard.size(); i++) {
        EpochAugment.Image image = mosaicOnly().apply(shard, i, SIDE, 7, epoch, true);
        for (Box b : image.boxes()) {
          assertTrue(b.x1() >= 0 && b.y1() >= 0 && b.x2() <= SIDE && b.y2() <= SIDE, b.toString());
          assertTrue(b.width() <= 8 && b.height() <= 6, "never larger than the original 8x6: " + b);
          if (b.width() == 8 && b.height() == 6) {
            whole++;
          }
        }
      }
    }
    assertTrue(whole > 20, "most boxes stay whole at the original 8x6 (not halved), counted " + whole);
  }

  @Test
  void mosaicPixelsComeFromFourMembersAndBoxesLieOnTheirOwnMember() {
    List<EpochAugment.Source> shard = shard(5);
    EpochAugment.Image image = mosaicOnly().apply(shard, 2, SIDE, 11, 3, true);
    for (Box b : image.boxes()) {
      int cx = (int) ((b.x1() + b.x2()) / 2);
      int cy = (int) ((b.y1() + b.y2()) / 2);
      float level = image.pixels()[cy * SIDE + cx];
      assertEquals(b.classId(), ((int) level / 10) % 3, "box " + b + " lies on pixels of level " + level);
    }
  }

  @Test
  void drawsArePureFunctionsOfSeedEpochAndId() {
    List<EpochAugment.Source> shard = shard(5);
    EpochAugment all = new EpochAugment(0.5, true, 0.3, new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25,
        0.25});
    EpochAugment.Image a = all.apply(shard, 1, SIDE, 5, 2, true);
    EpochAugment.Image b = all.apply(shard, 1, SIDE, 5, 2, true);
    assertArrayEquals(a.pixels(), b.pixels());
    assertEquals(a.boxes(), b.boxes());
    boolean differs = false;
    for (int epoch = 3; epoch < 8 && !differs; epoch++) {
      EpochAugment.Image c = all.apply(shard, 1, SIDE, 5, epoch, true);
      differs = !Arrays.equals(a.pixels(), c.pixels()) || !a.boxes().equals(c.boxes());
    }
    assertTrue(differs, "another epoch draws another image");
  }

  @Test
  void flipsMirrorPixelsAndBoxesTogether() {
    float[] px = new float[3 * SIDE * SIDE];
    px[10 * SIDE + 20] = 1; // top-left pixel of the box, channel 0
    List<EpochAugment.Source> one = List.of(new EpochAugment.Source("x", px, List.of(new Box(20, 10, 36, 36, 0))));
    EpochAugment flips = new EpochAugment(0, true, 0, new double[] {0, 0, 0}, new double[] {1, 1, 1});
    int flipped = 0;
    for (int epoch = 0; epoch < 12; epoch++) {
      EpochAugment.Image image = flips.apply(one, 0, SIDE, 1, epoch, true);
      Box b = image.boxes().get(0);
      int x = b.x1() == 20 ? 20 : SIDE - 1 - 20;
      int y = b.y1() == 10 ? 10 : SIDE - 1 - 10;
      assertEquals(1f, image.pixels()[y * SIDE + x], "the marked pixel follows the box: " + b);
      flipped += b.x1() != 20 || b.y1() != 10 ? 1 : 0;
    }
    assertTrue(flipped > 0 && flipped < 12, "some epochs flip, some not: " + flipped);
  }

  @Test
  void closeMosaicTurnsMosaicOffAndBrightnessAloneKeepsBoxes() {
    List<EpochAugment.Source> shard = shard(4);
    EpochAugment.Image image = mosaicOnly().apply(shard, 0, SIDE, 3, 0, false);
    assertArrayEquals(shard.get(0).pixels(), image.pixels());
    EpochAugment bright = new EpochAugment(0, false, 0.4, new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25,
        0.25});
    EpochAugment.Image lit = bright.apply(shard, 1, SIDE, 3, 0, true);
    assertEquals(shard.get(1).boxes(), lit.boxes());
    assertFalse(Arrays.equals(shard.get(1).pixels(), lit.pixels()), "brightness changes the levels");
  }
}
