package dev.tessera.transforms.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.transforms.image.ImageTransforms;
import dev.tessera.transforms.image.MosaicKernel;
import dev.tessera.transforms.image.MosaicLayout;
import dev.tessera.transforms.image.MosaicSpec;
import dev.tessera.transforms.image.Normalize;
import dev.tessera.transforms.image.NormalizeSpec;
import dev.tessera.transforms.image.ResizeNormalize;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MosaicSampleTest {
  private static final int[][] COLORS = {{250, 10, 10}, {10, 250, 10}, {10, 10, 250}, {200, 200, 20}};

  /** Four solid images of different sizes; every box's class id is its image's index. */
  private static List<Sample> members(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Sample> out = new ArrayList<>();
    int[][] sizes = {{480, 640}, {640, 427}, {300, 300}, {120, 500}};
    for (int i = 0; i < 4; i++) {
      int h = sizes[i][0];
      int w = sizes[i][1];
      List<Box> boxes = new ArrayList<>();
      for (int k = 0; k < 6; k++) {
        float x1 = (float) (r.nextDouble() * (w - 20));
        float y1 = (float) (r.nextDouble() * (h - 20));
        boxes.add(new Box(x1, y1, x1 + 10 + (float) r.nextDouble() * (w - x1 - 10),
            y1 + 10 + (float) r.nextDouble() * (h - y1 - 10), i));
      }
      out.add(Fixtures.solid("m/" + i, h, w, COLORS[i][0], COLORS[i][1], COLORS[i][2], i + 1, boxes));
    }
    return out;
  }

  @Test
  void boxesLieInsideTheCanvasAndThePixelsUnderThemComeFromTheirImage() {
    MosaicSample mosaic = new MosaicSample(MosaicSpec.of(320).withBoxFilter(0, 0));
    int checkedBoxes = 0;
    for (long seed = 0; seed < 40; seed++) {
      Sample out = mosaic.apply(members(seed), new SplittableRandom(seed));
      assertEquals(320, out.width());
      for (Box b : out.boxes()) {
        assertTrue(b.x1() >= 0 && b.y1() >= 0 && b.x2() <= 320 && b.y2() <= 320 && b.area() > 0, b.toString());
        int[] c = COLORS[b.classId()];
        // Every pixel whose centre lies inside the box shows that box's source image, and so does the mask.
        for (int y = (int) Math.ceil(b.y1() - 0.5); y + 0.5 < b.y2(); y++) {
          for (int x = (int) Math.ceil(b.x1() - 0.5); x + 0.5 < b.x2(); x++) {
            int p = (y * 320 + x) * 3;
            assertEquals(c[0], out.pixels()[p] & 0xFF, "R at (" + x + ", " + y + ") under " + b);
            assertEquals(c[1], out.pixels()[p + 1] & 0xFF);
            assertEquals(c[2], out.pixels()[p + 2] & 0xFF);
            assertEquals(b.classId() + 1, out.mask()[y * 320 + x]);
          }
        }
        checkedBoxes++;
      }
    }
    assertTrue(checkedBoxes > 100, "only " + checkedBoxes + " boxes survived");
  }

  @Test
  void dropsBoxesBelowTheVisibleFraction() {
    List<Sample> m = members(3);
    MosaicSpec all = MosaicSpec.of(320).withBoxFilter(0, 0);
    MosaicSpec strict = all.withBoxFilter(0, 0.9);
    int kept = new MosaicSample(all).apply(m, new SplittableRandom(5)).boxes().size();
    int keptStrict = new MosaicSample(strict).apply(m, new SplittableRandom(5)).boxes().size();
    assertTrue(keptStrict < kept, keptStrict + " vs " + kept);
  }

  @Test
  void normalizedCanvasEqualsNormalizingTheU8Canvas() {
    List<Sample> m = Fixtures.real();
    List<Sample> four = List.of(m.get(0), m.get(1), m.get(2), m.get(0));
    MosaicSpec spec = MosaicSpec.of(128);
    int[] hs = four.stream().mapToInt(Sample::height).toArray();
    int[] ws = four.stream().mapToInt(Sample::width).toArray();
    byte[][] px = four.stream().map(Sample::pixels).toArray(byte[][]::new);
    NormalizeSpec n = ImageTransforms.normalize(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
    for (long seed = 0; seed < 10; seed++) {
      MosaicLayout layout = MosaicSample.layout(spec, hs, ws, new SplittableRandom(seed));
      byte[] u8 = new byte[128 * 128 * 3];
      MosaicKernel.render(px, 3, layout, 114, spec.interpolation(), u8);
      float[] expected = new float[u8.length];
      Normalize.of(n).apply(u8, 128, 128, 3, expected);
      float[] fused = new float[u8.length];
      MosaicKernel.renderNormalized(px, 3, layout, 114, ResizeNormalize.of(ImageTransforms.resize(1, 1), n), fused);
      assertArrayEquals(expected, fused, "seed " + seed);
    }
  }

  @Test
  void paddingShowsWhereNoImageLands() {
    // Centre at the top-left corner: only image 3 (bottom-right of the centre) is visible: 500x120 scaled to 160x38.
    MosaicSpec spec = MosaicSpec.of(320).withCenterRange(0, 0);
    Sample out = new MosaicSample(spec).apply(members(1), new SplittableRandom(1));
    assertEquals(COLORS[3][0], out.pixels()[0] & 0xFF);
    assertEquals(114, out.pixels()[(200 * 320 + 200) * 3] & 0xFF);
    assertFalse(out.boxes().stream().anyMatch(b -> b.classId() != 3));
  }
}
