package dev.tessera.transforms.image;

import dev.tessera.transforms.augment.MosaicSample;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Random cases that compare the SIMD passes of {@link ResizeNormalize} with its scalar passes, float for float:
 * whole images, windows on a canvas, mosaics and P1's shape. Each returns {@code null} when the two agree, else what
 * differed. Run in the test JVM by {@link ResizeNormalizeVectorTest} and, through {@link #main}, in child JVMs with
 * another vector width ({@code -Dtessera.simd.bits=}, {@code -XX:UseAVX=}, {@code -XX:MaxVectorSize=}).
 */
final class VectorParityCases {
  static final NormalizeSpec IMAGENET =
      ImageTransforms.normalize(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});

  private VectorParityCases() {}

  /**
   * Prints {@code bits=<width> path=<path> cases=<n> mismatches=<m> first=<what differed or null>} for
   * {@code args[0]} whole images and as many windows (default 100), two mosaics and one P1 image.
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    SplittableRandom r = new SplittableRandom(21);
    int cases = 0;
    int mismatches = 0;
    String first = null;
    for (int i = 0; i < 2 * n + 3; i++) {
      String diff = i < n ? wholeImage(r, i) : i < 2 * n ? region(r) : i < 2 * n + 2 ? mosaic(r, i) : p1(i);
      cases++;
      if (diff != null) {
        mismatches++;
        first = first == null ? diff : first;
      }
    }
    System.out.println("bits=" + SimdWidth.bits() + " path=" + kernel(ImageTransforms.resize(1, 1), IMAGENET).path()
        .replace(' ', '_') + " cases=" + cases + " mismatches=" + mismatches + " first=" + first);
  }

  static ResizeNormalize kernel(ResizeSpec resize, NormalizeSpec n) {
    return ResizeNormalize.of(resize, n);
  }

  /** A random size (every third case exactly 2:1 in columns, the permute pass), upscales included. */
  static String wholeImage(SplittableRandom r, int i) {
    int c = r.nextInt(4) == 0 ? 1 : 3;
    int h = 1 + r.nextInt(i < 100 ? 8 : 90);
    int w = 1 + r.nextInt(i < 100 ? 8 : 130);
    int outW = i % 3 == 0 && w % 2 == 0 ? w / 2 : 1 + r.nextInt(2 * w + 20);
    int outH = r.nextBoolean() ? Math.max(1, h * 2 / 3) : 1 + r.nextInt(2 * h + 20);
    ResizeNormalize vector = kernel(ImageTransforms.resize(outW, outH), randomSpec(r, c));
    byte[] src = ResizeNormalizeTest.randomImage(h, w, c, r.nextLong());
    float[] expected = new float[outW * outH * c];
    float[] actual = new float[outW * outH * c];
    vector.scalar().apply(src, h, w, c, expected);
    vector.apply(src, h, w, c, actual);
    return differs(expected, actual, h + "x" + w + "x" + c + " -> " + outW + "x" + outH);
  }

  /**
   * A random window of a random resize placed on a canvas; the rest of the canvas must stay untouched (NaN). Half
   * the cases are exactly 2:1 in columns, a third exactly 2:1 in rows.
   */
  static String region(SplittableRandom r) {
    int c = r.nextInt(4) == 0 ? 1 : 3;
    int h = 1 + r.nextInt(70);
    int w = 2 * (1 + r.nextInt(60)) - (r.nextInt(4) == 0 ? 1 : 0);
    int tw = r.nextBoolean() && w % 2 == 0 ? w / 2 : 1 + r.nextInt(2 * w);
    // Every third case exactly 2:1 in rows (with 2:1 columns: the fused 2x2 pass below 512 bits).
    int th = r.nextInt(3) == 0 && h % 2 == 0 ? h / 2 : 1 + r.nextInt(2 * h);
    int rw = r.nextInt(tw + 1);
    int rh = r.nextInt(th + 1);
    int rx = r.nextInt(tw - rw + 1);
    int ry = r.nextInt(th - rh + 1);
    int dstW = rw + r.nextInt(20);
    int dstH = rh + r.nextInt(20);
    int dx = r.nextInt(dstW - rw + 1);
    int dy = r.nextInt(dstH - rh + 1);
    ResizeNormalize vector = kernel(ImageTransforms.resize(1, 1), randomSpec(r, c));
    byte[] src = ResizeNormalizeTest.randomImage(h, w, c, r.nextLong());
    float[] expected = new float[dstW * dstH * c];
    float[] actual = new float[dstW * dstH * c];
    Arrays.fill(expected, Float.NaN);
    Arrays.fill(actual, Float.NaN);
    vector.scalar().applyRegion(src, h, w, c, tw, th, rx, ry, rw, rh, expected, dstW, dstH, dx, dy);
    vector.applyRegion(src, h, w, c, tw, th, rx, ry, rw, rh, actual, dstW, dstH, dx, dy);
    int[] at = {h, w, c, tw, th, rx, ry, rw, rh, dstW, dstH, dx, dy};
    return differs(expected, actual, "h w c tw th rx ry rw rh dstW dstH dx dy = " + Arrays.toString(at));
  }

  /** A 640x640 mosaic: even {@code i} P2's shape (four 640x480 images, tiles exactly 2:1), odd random sizes. */
  static String mosaic(SplittableRandom r, int i) {
    int[] hs = new int[4];
    int[] ws = new int[4];
    byte[][] px = new byte[4][];
    for (int t = 0; t < 4; t++) {
      hs[t] = i % 2 == 0 ? 480 : 50 + r.nextInt(700);
      ws[t] = i % 2 == 0 ? 640 : 50 + r.nextInt(700);
      px[t] = ResizeNormalizeTest.randomImage(hs[t], ws[t], 3, r.nextLong());
    }
    MosaicLayout layout = MosaicSample.layout(MosaicSpec.of(640), hs, ws, r);
    ResizeNormalize vector = kernel(ImageTransforms.resize(1, 1), IMAGENET);
    float[] expected = new float[3 * 640 * 640];
    float[] actual = new float[3 * 640 * 640];
    Arrays.fill(actual, Float.NaN);
    MosaicKernel.renderNormalized(px, 3, layout, 114, vector.scalar(), expected);
    MosaicKernel.renderNormalized(px, 3, layout, 114, vector, actual);
    return differs(expected, actual, layout.toString());
  }

  /** P1's shape, 640x480 -> 320x320 (2:1 columns, 1.5:1 rows; the last rows reach the end of the array). */
  static String p1(long seed) {
    ResizeNormalize vector = kernel(ImageTransforms.resize(320, 320), IMAGENET);
    byte[] src = ResizeNormalizeTest.randomImage(480, 640, 3, seed);
    float[] expected = new float[3 * 320 * 320];
    float[] actual = new float[3 * 320 * 320];
    vector.scalar().apply(src, 480, 640, 3, expected);
    vector.apply(src, 480, 640, 3, actual);
    return differs(expected, actual, "640x480 -> 320x320, seed " + seed);
  }

  static NormalizeSpec randomSpec(SplittableRandom r, int c) {
    if (c != 3 || r.nextBoolean()) {
      return ImageTransforms.normalize(r.nextDouble(), 0.05 + r.nextDouble());
    }
    return ImageTransforms.normalize(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()},
        new double[] {0.05 + r.nextDouble(), 0.05 + r.nextDouble(), 0.05 + r.nextDouble()});
  }

  private static String differs(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        return what + ": float " + i + " was " + actual[i] + ", scalar gives " + expected[i];
      }
    }
    return null;
  }
}
