package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD passes of {@link ResizeNormalize} ({@link ResizeNormalizeVector}) against its scalar passes: identical
 * float arrays, bit for bit, on random sizes, windows and mosaics.
 */
class ResizeNormalizeVectorTest {
  private static final NormalizeSpec IMAGENET =
      ImageTransforms.normalize(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});

  private static ResizeNormalize vectorKernel(ResizeSpec resize, NormalizeSpec n) {
    ResizeNormalize kernel = ResizeNormalize.of(resize, n);
    assumeTrue(kernel.usesVector(), "SIMD passes not active here (no jdk.incubator.vector or no 512-bit vectors)");
    return kernel;
  }

  private static NormalizeSpec randomSpec(SplittableRandom r, int c) {
    if (c != 3 || r.nextBoolean()) {
      return ImageTransforms.normalize(r.nextDouble(), 0.05 + r.nextDouble());
    }
    return ImageTransforms.normalize(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()},
        new double[] {0.05 + r.nextDouble(), 0.05 + r.nextDouble(), 0.05 + r.nextDouble()});
  }

  @Test
  void testJvmsRunWithTheVectorModule() {
    // The build adds it (tessera.jvm.flags); without it this suite would only compare the scalar path to itself.
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
  }

  @Test
  void normalizeTableIsAnAffineFunctionForCommonSpecs() {
    for (NormalizeSpec n : List.of(IMAGENET, ImageTransforms.normalize(0.1307, 0.3081),
        ImageTransforms.normalize(0.5, 0.5), ImageTransforms.normalize(0.0, 1.0))) {
      Normalize k = Normalize.of(n);
      assertTrue(k.affineExact(), n.toString());
      for (int ch = 0; ch < n.channels(); ch++) {
        for (int v = 0; v < 256; v++) {
          assertEquals(k.lutOf(ch)[v], (float) (v * k.affineScale(ch) + k.affineBias(ch)));
        }
      }
    }
  }

  @Test
  void wholeImagesEqualTheScalarPathOnRandomSizes() {
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 300; i++) {
      int c = r.nextInt(4) == 0 ? 1 : 3;
      int h = 1 + r.nextInt(i < 100 ? 8 : 90);
      int w = 1 + r.nextInt(i < 100 ? 8 : 130);
      // Every third case exactly 2:1 in columns (the permute pass), the others anything, upscales included.
      int outW = i % 3 == 0 && w % 2 == 0 ? w / 2 : 1 + r.nextInt(2 * w + 20);
      int outH = r.nextBoolean() ? Math.max(1, h * 2 / 3) : 1 + r.nextInt(2 * h + 20);
      NormalizeSpec n = randomSpec(r, c);
      ResizeNormalize vector = vectorKernel(ImageTransforms.resize(outW, outH), n);
      byte[] src = ResizeNormalizeTest.randomImage(h, w, c, r.nextLong());
      float[] expected = new float[outW * outH * c];
      float[] actual = new float[outW * outH * c];
      vector.scalar().apply(src, h, w, c, expected);
      vector.apply(src, h, w, c, actual);
      assertArrayEquals(expected, actual, () -> h + "x" + w + "x" + c + " -> " + outW + "x" + outH);
    }
  }

  @Test
  void p1ShapeEqualsTheScalarPath() {
    // 640x480 -> 320x320: 2:1 columns, 1.5:1 rows; the last rows exercise the tail near the end of the array.
    ResizeNormalize vector = vectorKernel(ImageTransforms.resize(320, 320), IMAGENET);
    for (long seed = 0; seed < 3; seed++) {
      byte[] src = ResizeNormalizeTest.randomImage(480, 640, 3, seed);
      float[] expected = new float[3 * 320 * 320];
      float[] actual = new float[3 * 320 * 320];
      vector.scalar().apply(src, 480, 640, 3, expected);
      vector.apply(src, 480, 640, 3, actual);
      assertArrayEquals(expected, actual);
    }
  }

  @Test
  void regionsEqualTheScalarPathAndLeaveTheRestOfTheCanvas() {
    SplittableRandom r = new SplittableRandom(12);
    for (int i = 0; i < 300; i++) {
      int c = r.nextInt(4) == 0 ? 1 : 3;
      int h = 1 + r.nextInt(70);
      int w = 2 * (1 + r.nextInt(60)) - (r.nextInt(4) == 0 ? 1 : 0);
      int tw = r.nextBoolean() && w % 2 == 0 ? w / 2 : 1 + r.nextInt(2 * w);
      int th = 1 + r.nextInt(2 * h);
      int rw = r.nextInt(tw + 1);
      int rh = r.nextInt(th + 1);
      int rx = r.nextInt(tw - rw + 1);
      int ry = r.nextInt(th - rh + 1);
      int dstW = rw + r.nextInt(20);
      int dstH = rh + r.nextInt(20);
      int dx = r.nextInt(dstW - rw + 1);
      int dy = r.nextInt(dstH - rh + 1);
      NormalizeSpec n = randomSpec(r, c);
      ResizeNormalize vector = vectorKernel(ImageTransforms.resize(1, 1), n);
      byte[] src = ResizeNormalizeTest.randomImage(h, w, c, r.nextLong());
      float[] expected = new float[dstW * dstH * c];
      float[] actual = new float[dstW * dstH * c];
      Arrays.fill(expected, Float.NaN);
      Arrays.fill(actual, Float.NaN);
      vector.scalar().applyRegion(src, h, w, c, tw, th, rx, ry, rw, rh, expected, dstW, dstH, dx, dy);
      vector.applyRegion(src, h, w, c, tw, th, rx, ry, rw, rh, actual, dstW, dstH, dx, dy);
      int[] at = {h, w, c, tw, th, rx, ry, rw, rh, dstW, dstH, dx, dy};
      assertArrayEquals(expected, actual, () -> "h w c tw th rx ry rw rh dstW dstH dx dy = " + Arrays.toString(at));
    }
  }

  @Test
  void mosaicsEqualTheScalarPath() {
    SplittableRandom r = new SplittableRandom(13);
    MosaicSpec spec = MosaicSpec.of(640);
    for (int i = 0; i < 40; i++) {
      // Half of them P2's shape (four 640x480 images, tiles exactly 2:1), half random sizes.
      int[] hs = new int[4];
      int[] ws = new int[4];
      byte[][] px = new byte[4][];
      for (int t = 0; t < 4; t++) {
        hs[t] = i % 2 == 0 ? 480 : 50 + r.nextInt(700);
        ws[t] = i % 2 == 0 ? 640 : 50 + r.nextInt(700);
        px[t] = ResizeNormalizeTest.randomImage(hs[t], ws[t], 3, r.nextLong());
      }
      MosaicLayout layout = dev.tessera.transforms.augment.MosaicSample.layout(spec, hs, ws, r);
      ResizeNormalize vector = vectorKernel(ImageTransforms.resize(1, 1), IMAGENET);
      float[] expected = new float[3 * 640 * 640];
      float[] actual = new float[3 * 640 * 640];
      Arrays.fill(actual, Float.NaN);
      MosaicKernel.renderNormalized(px, 3, layout, 114, vector.scalar(), expected);
      MosaicKernel.renderNormalized(px, 3, layout, 114, vector, actual);
      assertArrayEquals(expected, actual, layout::toString);
    }
  }

  @Test
  void withoutTheModuleTheScalarPathRunsAndGivesTheSameFloats() throws IOException, InterruptedException {
    ResizeNormalize vector = vectorKernel(ImageTransforms.resize(ScalarFallbackMain.OUT_W,
        ScalarFallbackMain.OUT_H), IMAGENET);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ScalarFallbackMain.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    assertFalse(out.contains("incubator"), out);
    assertEquals("vector=false hash=" + ScalarFallbackMain.hash(vector), out);
  }
}
