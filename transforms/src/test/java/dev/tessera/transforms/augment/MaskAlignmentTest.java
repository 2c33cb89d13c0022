package dev.tessera.transforms.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.transforms.image.FlipAxis;
import dev.tessera.transforms.image.FlipSpec;
import dev.tessera.transforms.image.ImageTransforms;
import dev.tessera.transforms.image.Interpolation;
import dev.tessera.transforms.image.LetterboxSample;
import dev.tessera.transforms.image.LetterboxSpec;
import dev.tessera.transforms.image.MosaicSpec;
import dev.tessera.transforms.image.RandomCropSpec;
import dev.tessera.transforms.image.RandomResizedCropSpec;
import dev.tessera.transforms.image.ResizeSample;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A segmentation mask stays aligned with its image through every geometric transform that carries masks. The
 * fixture is a 64x48 image of 8x8 blocks: block (bx, by) has the colour (20 bx + 10, 20 by + 10, 7) and the mask
 * value 8 by + bx, so at any pixel whose colour is a block's own the mask must name that block.
 */
class MaskAlignmentTest {
  private static final int W = 64;
  private static final int H = 48;

  private static Sample blocks() {
    byte[] pixels = new byte[W * H * 3];
    byte[] mask = new byte[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = y * W + x;
        pixels[3 * i] = (byte) (20 * (x / 8) + 10);
        pixels[3 * i + 1] = (byte) (20 * (y / 8) + 10);
        pixels[3 * i + 2] = 7;
        mask[i] = (byte) (8 * (y / 8) + x / 8);
      }
    }
    return new Sample("blocks/train/0", pixels, H, W, 3, DType.UINT8, Layout.HWC, null, null, null, mask, "test",
        "train");
  }

  /**
   * Checks every pixel whose colour is exactly a block's (interpolated pixels at block edges are skipped) and
   * returns how many it checked.
   */
  private static int assertAligned(Sample s) {
    assertEquals(s.height() * s.width(), s.mask().length, "one mask byte per pixel");
    int checked = 0;
    for (int i = 0; i < s.height() * s.width(); i++) {
      int r = s.pixels()[3 * i] & 0xFF;
      int g = s.pixels()[3 * i + 1] & 0xFF;
      if ((r - 10) % 20 == 0 && (g - 10) % 20 == 0) {
        int expected = 8 * ((g - 10) / 20) + (r - 10) / 20;
        assertEquals(expected, s.mask()[i], "mask at pixel " + (i % s.width()) + "," + (i / s.width()));
        checked++;
      }
    }
    return checked;
  }

  @Test
  void flipsMirrorTheMaskWithTheImage() {
    Sample s = blocks();
    for (FlipAxis axis : FlipAxis.values()) {
      Sample flipped = FlipSample.flip(s, axis);
      assertEquals(W * H, assertAligned(flipped), "every pixel of a flip is a block's own colour");
      int expected = axis == FlipAxis.HORIZONTAL ? 8 * 0 + 7 : 8 * 5 + 0;
      assertEquals(expected, flipped.mask()[0], axis + ": the top-left pixel comes from the opposite corner's block");
    }
    Sample random = new FlipSample(FlipSpec.vertical(1)).apply(s, new SplittableRandom(1));
    assertEquals(5 * 8, random.mask()[0]);
  }

  @Test
  void randomCropsCutTheSameWindowFromMaskAndImage() {
    Sample s = blocks();
    SplittableRandom random = new SplittableRandom(7);
    RandomCropSample crop = new RandomCropSample(new RandomCropSpec(24, 16, 0));
    for (int trial = 0; trial < 20; trial++) {
      Sample c = crop.apply(s, random);
      assertEquals(24, c.width());
      assertEquals(16, c.height());
      assertEquals(24 * 16, assertAligned(c));
    }
  }

  @Test
  void resizeTakesNearestForTheMaskAndBilinearForTheImage() {
    Sample s = blocks();
    // Halving: each output pixel blends two source pixels of one block, so every pixel stays a block's colour.
    Sample half = new ResizeSample(ImageTransforms.resize(32, 24)).apply(s);
    assertEquals(32 * 24, assertAligned(half));
    // Enlarging 1.5x blends at block edges (skipped); the mask keeps only labels (no blended values between them).
    Sample larger = new ResizeSample(ImageTransforms.resize(96, 72)).apply(s);
    assertTrue(assertAligned(larger) > 96 * 72 / 2, "most pixels lie inside a block");
    for (byte label : larger.mask()) {
      assertTrue(label >= 0 && label < 48, "nearest never invents a label: " + label);
    }
    Sample nearest = new ResizeSample(ImageTransforms.resize(96, 72).withInterpolation(Interpolation.NEAREST))
        .apply(s);
    assertEquals(96 * 72, assertAligned(nearest));
  }

  @Test
  void randomResizedCropsScaleTheMaskWithTheImage() {
    Sample s = blocks();
    SplittableRandom random = new SplittableRandom(3);
    RandomResizedCropSample crop = new RandomResizedCropSample(
        new RandomResizedCropSpec(32, 32, 0.3, 1, 3.0 / 4, 4.0 / 3, Interpolation.BILINEAR));
    for (int trial = 0; trial < 20; trial++) {
      Sample c = crop.apply(s, random);
      assertEquals(32, c.width());
      assertEquals(32, c.height());
      assertTrue(assertAligned(c) > 32 * 32 / 3, "most pixels lie inside a block");
    }
  }

  /**
   * A {@code w x h} image, white (250) left of column {@code edge} and black (10) from it on, with the mask 1 on
   * the white part and 0 on the black.
   */
  private static Sample edge(int w, int h, int edge) {
    byte[] pixels = new byte[w * h * 3];
    byte[] mask = new byte[w * h];
    for (int i = 0; i < w * h; i++) {
      boolean white = i % w < edge;
      Arrays.fill(pixels, 3 * i, 3 * i + 3, (byte) (white ? 250 : 10));
      mask[i] = (byte) (white ? 1 : 0);
    }
    return new Sample("edge/train/" + edge, pixels, h, w, 3, DType.UINT8, Layout.HWC, null, null, null, mask,
        "test", "train");
  }

  private static int[] row(byte[] values, int width, int stride, int y) {
    int[] row = new int[width];
    for (int x = 0; x < width; x++) {
      row[x] = values[(y * width + x) * stride] & 0xFF;
    }
    return row;
  }

  /*
   * The two tests below shrink 24 columns to 8 (3 source columns per output column) around an edge at column 13.
   * Bilinear samples the source at 3x + 1: output column 3 reads column 10 (white), column 4 reads column 13
   * (black), so the image's edge falls between output columns 3 and 4. Nearest-exact takes column
   * floor(3x + 1.5), the same columns; OpenCV's INTER_NEAREST takes floor(3x), column 12 (white) for output 4, and
   * moved the mask's edge one output column right of the image's.
   */

  @Test
  void letterboxKeepsTheMaskEdgeOnTheImageEdge() {
    // 24x12 -> 8x4 (r = 1/3), centred on an 8x8 square: rows 0-1 and 6-7 are padding.
    Sample boxed = new LetterboxSample(new LetterboxSpec(8, 8, 114, Interpolation.BILINEAR)).apply(edge(24, 12, 13));

    assertEquals(8, boxed.width());
    for (int y = 0; y < 8; y++) {
      boolean padding = y < 2 || y >= 6;
      int[] image = padding ? new int[] {114, 114, 114, 114, 114, 114, 114, 114}
          : new int[] {250, 250, 250, 250, 10, 10, 10, 10};
      int[] mask = padding ? new int[8] : new int[] {1, 1, 1, 1, 0, 0, 0, 0};
      assertArrayEquals(image, row(boxed.pixels(), 8, 3, y), "image row " + y);
      assertArrayEquals(mask, row(boxed.mask(), 8, 1, y), "mask row " + y);
    }
  }

  @Test
  void mosaicKeepsTheMaskEdgeOnTheImageEdge() {
    // Four 24x24 images as 8x8 tiles around the centre (8, 8) of a 16x16 canvas: every row crosses two tiles.
    MosaicSpec spec = MosaicSpec.of(16).withCenterRange(0.5, 0.5);
    Sample image = edge(24, 24, 13);
    Sample mosaic = new MosaicSample(spec).apply(List.of(image, image, image, image), new SplittableRandom(1));

    int[] imageRow = {250, 250, 250, 250, 10, 10, 10, 10, 250, 250, 250, 250, 10, 10, 10, 10};
    int[] maskRow = {1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0};
    for (int y = 0; y < 16; y++) {
      assertArrayEquals(imageRow, row(mosaic.pixels(), 16, 3, y), "image row " + y);
      assertArrayEquals(maskRow, row(mosaic.mask(), 16, 1, y), "mask row " + y);
    }
  }
}
