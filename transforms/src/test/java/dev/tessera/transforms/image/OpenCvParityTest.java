package dev.tessera.transforms.image;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parity with OpenCV 4.11 (bytedeco, test scope only) on real images: bilinear resize to 320x320 and normalize
 * must agree within half a u8 level on average and one level at most; the jitter's HSV conversion must agree with
 * {@code cvtColor} on float RGB. The committed fixtures always run; coco128 (all 128, one grayscale) and the first
 * 32 BCCD images run when {@code TESSERA_DATA_MIRROR} points at the data mirror.
 */
class OpenCvParityTest {
  private static final double[] MEAN = {0.485, 0.456, 0.406};
  private static final double[] STD = {0.229, 0.224, 0.225};

  @BeforeAll
  static void singleThreaded() {
    opencv_core.setNumThreads(1);
  }

  /** Mean and max absolute difference in u8 levels over a set of images. */
  record Diff(double mean, double max, long elements) {}

  @Test
  void resizeAndNormalizeMatchOpenCvOnTheFixtures() {
    check("fixtures", TestImages.fixtures());
  }

  @Test
  void resizeAndNormalizeMatchOpenCvOnCoco128() throws IOException {
    Optional<Path> mirror = TestImages.mirror();
    assumeTrue(mirror.isPresent(), "TESSERA_DATA_MIRROR is not set to the data mirror; coco128 parity skipped");
    List<TestImages.Rgb> images = TestImages.fromMirror(mirror.get(), "coco128/images/train", 128);
    assertEquals(128, images.size());
    check("coco128", images);
  }

  @Test
  void resizeAndNormalizeMatchOpenCvOnBccd() throws IOException {
    Optional<Path> mirror = TestImages.mirror();
    assumeTrue(mirror.isPresent(), "TESSERA_DATA_MIRROR is not set to the data mirror; BCCD parity skipped");
    check("bccd", TestImages.fromMirror(mirror.get(), "bccd/BCCD/JPEGImages", 32));
  }

  private static void check(String set, List<TestImages.Rgb> images) {
    double sumResize = 0;
    double maxResize = 0;
    double sumNorm = 0;
    double maxNorm = 0;
    long n = 0;
    ResizeNormalize fused = ResizeNormalize.of(ImageTransforms.resize(320, 320), ImageTransforms.normalize(MEAN, STD));
    for (TestImages.Rgb img : images) {
      byte[] java = new byte[320 * 320 * 3];
      Resize.apply(img.hwc(), img.height(), img.width(), 3, 320, 320, Interpolation.BILINEAR, java);
      float[] javaNorm = new float[3 * 320 * 320];
      fused.apply(img.hwc(), img.height(), img.width(), 3, javaNorm);

      Mat src = new Mat(img.height(), img.width(), CV_8UC3);
      src.data().put(img.hwc());
      Mat dst = new Mat();
      opencv_imgproc.resize(src, dst, new Size(320, 320), 0, 0, opencv_imgproc.INTER_LINEAR);
      byte[] cv = new byte[320 * 320 * 3];
      dst.data().get(cv);
      MatVector planes = new MatVector(3);
      opencv_core.split(dst, planes);
      float[] cvNorm = new float[3 * 320 * 320];
      for (int c = 0; c < 3; c++) {
        Mat f = new Mat();
        planes.get(c).convertTo(f, CV_32F, 1.0 / (255.0 * STD[c]), -MEAN[c] / STD[c]);
        new FloatPointer(f.data()).get(cvNorm, c * 320 * 320, 320 * 320);
      }
      for (int i = 0; i < java.length; i++) {
        int d = Math.abs((java[i] & 0xFF) - (cv[i] & 0xFF));
        sumResize += d;
        maxResize = Math.max(maxResize, d);
      }
      for (int i = 0; i < javaNorm.length; i++) {
        double levels = Math.abs(javaNorm[i] - cvNorm[i]) * 255 * STD[i / (320 * 320)];
        sumNorm += levels;
        maxNorm = Math.max(maxNorm, levels);
      }
      n += java.length;
    }
    double meanResize = sumResize / n;
    double meanNorm = sumNorm / n;
    System.out.printf("OpenCV parity %s (%d images, 320x320): resize mean %.4f max %.0f levels; "
        + "resize+normalize mean %.4f max %.4f levels%n", set, images.size(), meanResize, maxResize, meanNorm, maxNorm);
    assertTrue(meanResize <= 0.5 && maxResize <= 1, set + " resize: mean " + meanResize + ", max " + maxResize);
    assertTrue(meanNorm <= 0.5 && maxNorm <= 1 + 1e-3, set + " normalize: mean " + meanNorm + ", max " + maxNorm);
  }

  @Test
  void hsvConversionMatchesCvtColorOnFloatRgb() {
    int n = 20_000;
    float[] rgb = new float[n * 3];
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < rgb.length; i++) {
      // Quantized to u8 levels, as the jitter sees them, plus exact greys and primaries.
      rgb[i] = r.nextInt(256) / 255f;
    }
    float[][] special = {{0, 0, 0}, {1, 1, 1}, {0.5f, 0.5f, 0.5f}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
    for (int i = 0; i < special.length; i++) {
      System.arraycopy(special[i], 0, rgb, 3 * i, 3);
    }
    Mat src = new Mat(1, n, CV_32FC3);
    new FloatPointer(src.data()).put(rgb);
    Mat hsv = new Mat();
    opencv_imgproc.cvtColor(src, hsv, opencv_imgproc.COLOR_RGB2HSV);
    float[] cvHsv = new float[n * 3];
    new FloatPointer(hsv.data()).get(cvHsv);
    Mat back = new Mat();
    opencv_imgproc.cvtColor(hsv, back, opencv_imgproc.COLOR_HSV2RGB);
    float[] cvRgb = new float[n * 3];
    new FloatPointer(back.data()).get(cvRgb);

    float[] out = new float[3];
    double maxH = 0;
    double maxSv = 0;
    double maxRgb = 0;
    for (int i = 0; i < n; i++) {
      Hsv.fromRgb(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], out);
      double dh = Math.abs(out[0] - cvHsv[3 * i]);
      maxH = Math.max(maxH, Math.min(dh, 360 - dh));
      maxSv = Math.max(maxSv, Math.max(Math.abs(out[1] - cvHsv[3 * i + 1]), Math.abs(out[2] - cvHsv[3 * i + 2])));
      Hsv.toRgb(cvHsv[3 * i], cvHsv[3 * i + 1], cvHsv[3 * i + 2], out);
      for (int k = 0; k < 3; k++) {
        maxRgb = Math.max(maxRgb, Math.abs(out[k] - cvRgb[3 * i + k]));
      }
    }
    System.out.printf("OpenCV parity HSV (%d colours): max |dH| %.2e deg, max |dS|,|dV| %.2e, HSV->RGB max %.2e%n",
        n, maxH, maxSv, maxRgb);
    assertTrue(maxH < 1e-3, "H differs by " + maxH + " degrees");
    assertTrue(maxSv < 1e-5, "S or V differs by " + maxSv);
    assertTrue(maxRgb < 1e-5, "HSV->RGB differs by " + maxRgb);
  }

  @Test
  void grayscaleFixtureIsReplicatedToThreeEqualChannels() {
    TestImages.Rgb gray = TestImages.fixtures().get(2);
    List<Integer> unequal = new ArrayList<>();
    for (int i = 0; i < gray.height() * gray.width(); i++) {
      if (gray.hwc()[3 * i] != gray.hwc()[3 * i + 1] || gray.hwc()[3 * i] != gray.hwc()[3 * i + 2]) {
        unequal.add(i);
      }
    }
    assertTrue(unequal.isEmpty(), unequal.size() + " pixels differ between channels");
  }
}
