package dev.tessera.benchmarks;

import dev.tessera.transforms.augment.MosaicSample;
import dev.tessera.transforms.image.ImageTransforms;
import dev.tessera.transforms.image.MosaicKernel;
import dev.tessera.transforms.image.MosaicLayout;
import dev.tessera.transforms.image.MosaicSpec;
import dev.tessera.transforms.image.ResizeNormalize;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * P2 (issue 4, item 8): mosaic of four 640x480 BCCD images onto a 640x640 canvas, normalized to float CHW, mosaics
 * per CPU second on one thread. Java: {@link MosaicKernel#renderNormalized} (each tile's visible window resized and
 * normalized in one pass). OpenCV, single-threaded: canvas {@code setTo(pad)}, per tile {@code cv::resize} to
 * 320x240 and {@code copyTo} of its visible part, then {@code split} and one {@code convertTo(CV_32F)} per channel
 * into the CHW buffer. Both sides use the same 16 precomputed layouts (random centres), so only pixel work is timed.
 *
 * <p>Run: {@code ./mvnw -q -o -pl benchmarks -am package -DskipTests && java
 * --add-modules=jdk.incubator.vector -cp "$(cat
 * benchmarks/target/classpath.txt):benchmarks/target/classes" dev.tessera.benchmarks.MosaicBenchmark}
 */
public final class MosaicBenchmark {
  private static final int SIZE = 640;

  private MosaicBenchmark() {}

  public static void main(String[] args) throws Exception {
    double[] result = run(args.length > 0 ? Integer.parseInt(args[0]) : 7,
        args.length > 1 ? Integer.parseInt(args[1]) : 500);
    System.out.printf("P2 mosaic of 4 x 640x480 -> 640x640 float CHW (normalized), one thread, thread CPU time%n");
    System.out.printf("  command: java --add-modules=jdk.incubator.vector -cp <classpath> %s%n",
        MosaicBenchmark.class.getName());
    // Say which path ran and on what CPU: the ratio depends on both (the scalar passes are 3-5x slower).
    HostInfo.print(ResizeNormalize.of(ImageTransforms.resize(1, 1),
        ImageTransforms.normalize(ResizeNormalizeBenchmark.MEAN, ResizeNormalizeBenchmark.STD)).path());
    System.out.printf("  Java (Tessera MosaicKernel.renderNormalized): %.0f mosaics/s per core%n", result[0]);
    System.out.printf("  OpenCV %s resize+copyTo+convertTo (1 thread): %.0f mosaics/s per core%n",
        opencv_core.CV_VERSION, result[1]);
    System.out.printf("  ratio Java / OpenCV: %.2f%n", result[0] / result[1]);
  }

  /** Returns {Java mosaics/s, OpenCV mosaics/s}, each the best of {@code rounds} interleaved rounds. */
  public static double[] run(int rounds, int perRound) throws Exception {
    opencv_core.setNumThreads(1);
    List<BenchmarkImages.Image> images = BenchmarkImages.bccd(16);
    MosaicSpec spec = MosaicSpec.of(SIZE);
    MosaicLayout[] layouts = new MosaicLayout[16];
    int[] hs = {480, 480, 480, 480};
    int[] ws = {640, 640, 640, 640};
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < layouts.length; i++) {
      layouts[i] = MosaicSample.layout(spec, hs, ws, random);
    }
    ResizeNormalize kernel = ResizeNormalize.of(ImageTransforms.resize(1, 1),
        ImageTransforms.normalize(ResizeNormalizeBenchmark.MEAN, ResizeNormalizeBenchmark.STD));
    float[] javaOut = new float[3 * SIZE * SIZE];

    Mat[] cvSrc = OpenCvMosaic.mats(images);
    OpenCvMosaic opencv = new OpenCvMosaic(SIZE, spec.padValue());
    double[] mean = ResizeNormalizeBenchmark.MEAN;
    double[] std = ResizeNormalizeBenchmark.STD;
    double[] scale = new double[3];
    double[] shift = new double[3];
    for (int c = 0; c < 3; c++) {
      scale[c] = 1.0 / (255.0 * std[c]);
      shift[c] = -mean[c] / std[c];
    }
    int[] next = {0, 0};

    Runnable java = () -> {
      int k = next[0]++;
      byte[][] px = new byte[4][];
      for (int i = 0; i < 4; i++) {
        px[i] = images.get((k + i) & 15).hwc();
      }
      MosaicKernel.renderNormalized(px, 3, layouts[k & 15], spec.padValue(), kernel, javaOut);
    };
    Runnable cv = () -> {
      int k = next[1]++;
      opencv.render(cvSrc, k, layouts[k & 15], scale, shift);
    };
    CpuClock.interleaved(2, perRound, java, cv);
    return CpuClock.interleaved(rounds, perRound, java, cv);
  }
}
