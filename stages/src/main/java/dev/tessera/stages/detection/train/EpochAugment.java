package dev.tessera.stages.detection.train;

import dev.tessera.transforms.augment.Randomness;
import dev.tessera.transforms.geometry.Boxes;
import dev.tessera.transforms.sample.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The detector's per-epoch training augmentation of letterboxed {@code side x side} float CHW images: a new draw
 * each epoch, from (seed, epoch, sample id), so 30 epochs see 30 different versions of each image while a rerun
 * sees the same ones.
 *
 * <ul>
 *   <li><b>Mosaic at full scale:</b> the image and three partners drawn from the same shard share one canvas of the
 *       input size around a centre drawn in {@code [0.25, 0.75] side}; each keeps its letterboxed scale (the scale
 *       of the test images), the image to the top-left of the centre showing its bottom-right part and so on, as
 *       YOLOv5's 2x mosaic seen through its canvas-sized window. Boxes are clipped to their quarter and dropped when
 *       less than {@link #MIN_VISIBLE} of their area or under {@link #MIN_SIDE} pixels a side stays visible.
 *   <li><b>Flips:</b> left-right and top-bottom, each with probability 1/2 (cells have no up or left).
 *   <li><b>Brightness:</b> the [0, 1] levels times a gain uniform in {@code 1 +- brightness} (YOLOv5's HSV value
 *       gain), applied in normalized units: {@code x' = g x + (g - 1) mean / std}.
 * </ul>
 *
 * @param mosaicProbability the chance, in [0, 1], that an image becomes a mosaic this epoch
 * @param flips whether to flip
 * @param brightness the largest relative brightness change, in [0, 1)
 * @param mean the per-channel normalization mean the images were written with
 * @param std the per-channel normalization standard deviation
 */
public record EpochAugment(double mosaicProbability, boolean flips, double brightness, double[] mean,
    double[] std) {
  /** The smallest visible share of a box's area that keeps it in a mosaic. */
  public static final double MIN_VISIBLE = 0.25;
  /** The smallest visible side, in pixels, that keeps a box in a mosaic. */
  public static final double MIN_SIDE = 2;

  /** One augmented image: {@code 3 x side x side} floats and its boxes. */
  public record Image(float[] pixels, List<Box> boxes) {}

  /** One input image: its id, pixels and boxes. */
  public record Source(String id, float[] pixels, List<Box> boxes) {}

  /** No augmentation at all (images as stored). */
  public static EpochAugment none() {
    return new EpochAugment(0, false, 0, new double[] {0, 0, 0}, new double[] {1, 1, 1});
  }

  /** True when nothing changes the images. */
  public boolean identity() {
    return mosaicProbability == 0 && !flips && brightness == 0;
  }

  /**
   * The augmented version of {@code shard.get(index)} for {@code epoch}; mosaic partners come from {@code shard}
   * (any three others, or itself when the shard has one image).
   */
  public Image apply(List<Source> shard, int index, int side, long seed, int epoch, boolean mosaicAllowed) {
    Source self = shard.get(index);
    SplittableRandom random = Randomness.forSample(seed, epoch, self.id(), "detector-augment");
    float[] px;
    List<Box> boxes;
    if (mosaicAllowed && mosaicProbability > 0 && random.nextDouble() < mosaicProbability) {
      Source[] members = new Source[4];
      members[0] = self;
      for (int i = 1; i < 4; i++) {
        members[i] = shard.size() == 1 ? self : shard.get(other(random, shard.size(), index));
      }
      int cx = (int) Math.floor(Randomness.uniform(random, 0.25, 0.75) * side);
      int cy = (int) Math.floor(Randomness.uniform(random, 0.25, 0.75) * side);
      px = new float[3 * side * side];
      boxes = new ArrayList<>();
      // Tile i's origin on the canvas: 0 top-left of the centre, 1 top-right, 2 bottom-left, 3 bottom-right.
      for (int i = 0; i < 4; i++) {
        int ox = (i == 0 || i == 2) ? cx - side : cx;
        int oy = (i == 0 || i == 1) ? cy - side : cy;
        int x0 = Math.max(0, ox);
        int y0 = Math.max(0, oy);
        int x1 = Math.min(side, ox + side);
        int y1 = Math.min(side, oy + side);
        copyWindow(members[i].pixels(), px, side, ox, oy, x0, y0, x1, y1);
        List<Box> moved = Boxes.affine(members[i].boxes(), 1, 1, ox, oy);
        for (Box b : Boxes.clip(moved, x0, y0, x1, y1, 0, MIN_VISIBLE)) {
          if (b.width() >= MIN_SIDE && b.height() >= MIN_SIDE) {
            boxes.add(b);
          }
        }
      }
    } else {
      px = self.pixels().clone();
      boxes = self.boxes();
    }
    if (flips && random.nextBoolean()) {
      flipRows(px, side);
      boxes = Boxes.flipHorizontal(boxes, side);
    }
    if (flips && random.nextBoolean()) {
      flipColumns(px, side);
      boxes = Boxes.flipVertical(boxes, side);
    }
    if (brightness > 0) {
      double gain = Randomness.uniform(random, 1 - brightness, 1 + brightness);
      int plane = side * side;
      for (int c = 0; c < 3; c++) {
        float a = (float) gain;
        float b = (float) ((gain - 1) * mean[c % mean.length] / std[c % std.length]);
        for (int p = c * plane; p < (c + 1) * plane; p++) {
          px[p] = a * px[p] + b;
        }
      }
    }
    return new Image(px, boxes);
  }

  private static int other(SplittableRandom random, int n, int self) {
    int j = random.nextInt(n - 1);
    return j >= self ? j + 1 : j;
  }

  /** Copies canvas window {@code [x0, x1) x [y0, y1)} from {@code src} placed with its origin at (ox, oy). */
  private static void copyWindow(float[] src, float[] dst, int side, int ox, int oy, int x0, int y0, int x1,
      int y1) {
    if (x1 <= x0 || y1 <= y0) {
      return;
    }
    int plane = side * side;
    for (int c = 0; c < 3; c++) {
      for (int y = y0; y < y1; y++) {
        System.arraycopy(src, c * plane + (y - oy) * side + (x0 - ox), dst, c * plane + y * side + x0, x1 - x0);
      }
    }
  }

  private static void flipRows(float[] px, int side) {
    for (int row = 0; row < 3 * side; row++) {
      int base = row * side;
      for (int i = 0, j = side - 1; i < j; i++, j--) {
        float t = px[base + i];
        px[base + i] = px[base + j];
        px[base + j] = t;
      }
    }
  }

  private static void flipColumns(float[] px, int side) {
    int plane = side * side;
    float[] line = new float[side];
    for (int c = 0; c < 3; c++) {
      for (int i = 0, j = side - 1; i < j; i++, j--) {
        int a = c * plane + i * side;
        int b = c * plane + j * side;
        System.arraycopy(px, a, line, 0, side);
        System.arraycopy(px, b, px, a, side);
        System.arraycopy(line, 0, px, b, side);
      }
    }
  }
}
