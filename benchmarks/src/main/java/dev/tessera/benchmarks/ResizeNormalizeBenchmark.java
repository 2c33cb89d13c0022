package dev.tessera.benchmarks;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import dev.tessera.transforms.image.ImageTransforms;
import dev.tessera.transforms.image.NormalizeSpec;
import dev.tessera.transforms.image.ResizeNormalize;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * P1 (issue 4, item 8): resize 640x480 -> 320x320 bilinear + normalize (ImageNet mean/std) to float CHW, images per
 * CPU second on one thread, Tessera's pure-Java {@link ResizeNormalize} divided by OpenCV single-threaded
 * ({@code cv::resize} INTER_LINEAR, {@code cv::split}, then one {@code convertTo(CV_32F, 1/(255 std), -mean/std)}
 * per channel straight into the CHW buffer). Both sides read the same decoded BCCD images and write into buffers
 * allocated once.
 *
 * <p>Run: {@code ./mvnw -q -o -pl benchmarks -am package -DskipTests && java
 * --add-modules=jdk.incubator.vector -cp "$(cat
 * benchmarks/target/classpath.txt):benchmarks/target/classes" dev.tessera.benchmarks.ResizeNormalizeBenchmark}
 * (optional args: rounds, images per round).
 */
public final class ResizeNormalizeBenchmark {
  static final double[] MEAN = {0.485, 0.456, 0.406};
  static final double[] STD = {0.229, 0.224, 0.225};
  static final int OUT = 320;

  private ResizeNormalizeBenchmark() {}

  public static void main(String[] args) throws Exception {
    double[] result = run(args.length > 0 ? Integer.parseInt(args[0]) : 7,
        args.length > 1 ? Integer.parseInt(args[1]) : 2000);
    System.out.printf("P1 resize 640x480->320x320 + normalize to float CHW, one thread, thread CPU time%n");
    System.out.printf("  command: java --add-modules=jdk.incubator.vector -cp <classpath> %s%n",
        ResizeNormalizeBenchmark.class.getName());
    // Say which path ran and on what CPU: the ratio depends on both (the scalar passes are 3-5x slower).
    HostInfo.print(ResizeNormalize.of(ImageTransforms.resize(1, 1),
        ImageTransforms.normalize(ResizeNormalizeBenchmark.MEAN, ResizeNormalizeBenchmark.STD)).path());
    System.out.printf("  Java (Tessera ResizeNormalize): %.0f images/s per core%n", result[0]);
    System.out.printf("  OpenCV %s (1 thread):         %.0f images/s per core%n", opencv_core.CV_VERSION,
        result[1]);
    System.out.printf("  ratio Java / OpenCV: %.2f%n", result[0] / result[1]);
  }

  /** Returns {Java images/s, OpenCV images/s}, each the best of {@code rounds} interleaved rounds. */
  public static double[] run(int rounds, int imagesPerRound) throws Exception {
    opencv_core.setNumThreads(1);
    List<BenchmarkImages.Image> images = BenchmarkImages.bccd(16);
    NormalizeSpec norm = ImageTransforms.normalize(MEAN, STD);
    ResizeNormalize kernel = ResizeNormalize.of(ImageTransforms.resize(OUT, OUT), norm);
    float[] javaOut = new float[3 * OUT * OUT];

    Mat[] cvSrc = new Mat[images.size()];
    for (int i = 0; i < cvSrc.length; i++) {
      BenchmarkImages.Image im = images.get(i);
      cvSrc[i] = new Mat(im.height(), im.width(), CV_8UC3);
      cvSrc[i].data().put(im.hwc());
    }
    Mat resized = new Mat(OUT, OUT, CV_8UC3);
    MatVector planes = new MatVector(3);
    FloatPointer chw = new FloatPointer(3L * OUT * OUT);
    Mat[] outPlanes = new Mat[3];
    for (int c = 0; c < 3; c++) {
      outPlanes[c] = new Mat(OUT, OUT, CV_32F, new FloatPointer(chw.position((long) c * OUT * OUT)));
    }
    chw.position(0);
    Size size = new Size(OUT, OUT);
    int[] next = {0, 0};

    Runnable java = () -> {
      BenchmarkImages.Image im = images.get(next[0]++ & 15);
      kernel.apply(im.hwc(), im.height(), im.width(), 3, javaOut);
    };
    Runnable cv = () -> {
      Mat src = cvSrc[next[1]++ & 15];
      opencv_imgproc.resize(src, resized, size, 0, 0, INTER_LINEAR);
      opencv_core.split(resized, planes);
      for (int c = 0; c < 3; c++) {
        planes.get(c).convertTo(outPlanes[c], CV_32F, 1.0 / (255.0 * STD[c]), -MEAN[c] / STD[c]);
      }
    };
    // Warm-up: let C2 compile the Java kernel and OpenCV allocate its planes.
    CpuClock.interleaved(2, imagesPerRound, java, cv);
    return CpuClock.interleaved(rounds, imagesPerRound, java, cv);
  }
}
