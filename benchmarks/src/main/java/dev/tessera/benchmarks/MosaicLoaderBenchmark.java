package dev.tessera.benchmarks;

import dev.tessera.transforms.augment.MosaicSample;
import dev.tessera.transforms.image.ImageTransforms;
import dev.tessera.transforms.image.MosaicKernel;
import dev.tessera.transforms.image.MosaicLayout;
import dev.tessera.transforms.image.MosaicSpec;
import dev.tessera.transforms.image.ResizeNormalize;
import dev.tessera.transforms.sample.Box;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * P4 (issue 15, item 4): the detector's data path with mosaic at 640x640, per image as an online loader makes it
 * for the trainer: draw the mosaic's centre from the image's random stream, render the four 640x480 BCCD images
 * onto the canvas scaled to [0, 1] as float CHW (the detector's input), and move every tile's boxes. Images per CPU
 * second on one thread (per core). Java: {@link MosaicSample#layout}, {@link MosaicKernel#renderNormalized} and
 * {@link MosaicLayout#boxes}. OpenCV, single-threaded, doing the same: the same layout and box code (arithmetic,
 * not pixels), canvas {@code setTo(pad)}, per tile {@code cv::resize} and {@code copyTo} of its visible part, then
 * {@code split} and one {@code convertTo(CV_32F, 1/255)} per channel into the CHW buffer. Unlike P2 the centre is
 * drawn per image and the boxes are carried, as in training.
 *
 * <p>Run for each SIMD width ({@code -Dtessera.simd.bits=128|256|512}; the default takes the widest):
 * {@code ./mvnw -q -o -pl benchmarks -am package -DskipTests && java -Dtessera.simd.bits=256
 * --add-modules=jdk.incubator.vector -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes"
 * dev.tessera.benchmarks.MosaicLoaderBenchmark [rounds=7] [images per round=300]}
 */
public final class MosaicLoaderBenchmark {
  private static final int SIZE = 640;
  private static final double[] ZERO = {0, 0, 0};
  private static final double[] ONE = {1, 1, 1};

  private MosaicLoaderBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    ResizeNormalize kernel = ResizeNormalize.of(ImageTransforms.resize(1, 1), ImageTransforms.normalize(ZERO, ONE));
    System.out.printf("P4 online loader with mosaic: 4 x 640x480 BCCD -> 640x640 float CHW in [0, 1] with boxes, "
        + "centre drawn per image, one thread, thread CPU time%n");
    HostInfo.print(kernel.path());
    double[] result = run(rounds, perRound);
    System.out.printf("  Java (MosaicSample.layout + MosaicKernel.renderNormalized + boxes): %.0f images/s per core%n",
        result[0]);
    System.out.printf("  OpenCV %s (same layout and boxes; setTo + 4x (resize + copyTo) + split + 3x convertTo, "
        + "1 thread): %.0f images/s per core%n", opencv_core.CV_VERSION, result[1]);
    System.out.printf("  ratio Java / OpenCV: %.2f%n", result[0] / result[1]);
  }

  /** Returns {Java images/s, OpenCV images/s}, each the best of {@code rounds} interleaved rounds. */
  public static double[] run(int rounds, int perRound) throws Exception {
    opencv_core.setNumThreads(1);
    List<BenchmarkImages.Image> images = BenchmarkImages.bccd(16);
    List<List<Box>> boxes = new ArrayList<>();
    SplittableRandom boxRandom = new SplittableRandom(3);
    for (int i = 0; i < images.size(); i++) {
      List<Box> some = new ArrayList<>(); // BCCD has ~13 cells an image; their positions do not change the cost
      for (int b = 0; b < 13; b++) {
        float x = boxRandom.nextInt(560);
        float y = boxRandom.nextInt(400);
        some.add(new Box(x, y, x + 20 + boxRandom.nextInt(60), y + 20 + boxRandom.nextInt(60), b % 3));
      }
      boxes.add(some);
    }
    MosaicSpec spec = MosaicSpec.of(SIZE);
    int[] hs = {480, 480, 480, 480};
    int[] ws = {640, 640, 640, 640};
    ResizeNormalize kernel = ResizeNormalize.of(ImageTransforms.resize(1, 1), ImageTransforms.normalize(ZERO, ONE));
    float[] javaOut = new float[3 * SIZE * SIZE];

    Mat[] cvSrc = OpenCvMosaic.mats(images);
    OpenCvMosaic opencv = new OpenCvMosaic(SIZE, spec.padValue());
    double[] scale = {1 / 255.0, 1 / 255.0, 1 / 255.0};
    int[] next = {0, 0};
    long[] keptBoxes = {0, 0};

    Runnable java = () -> {
      int k = next[0]++;
      MosaicLayout layout = MosaicSample.layout(spec, hs, ws, new SplittableRandom(k));
      byte[][] px = new byte[4][];
      for (int i = 0; i < 4; i++) {
        px[i] = images.get((k + i) & 15).hwc();
      }
      MosaicKernel.renderNormalized(px, 3, layout, spec.padValue(), kernel, javaOut);
      keptBoxes[0] += moveBoxes(spec, layout, boxes, k);
    };
    Runnable cv = () -> {
      int k = next[1]++;
      MosaicLayout layout = MosaicSample.layout(spec, hs, ws, new SplittableRandom(k));
      opencv.render(cvSrc, k, layout, scale, ZERO);
      keptBoxes[1] += moveBoxes(spec, layout, boxes, k);
    };
    CpuClock.interleaved(2, perRound, java, cv);
    double[] rates = CpuClock.interleaved(rounds, perRound, java, cv);
    if (keptBoxes[0] != keptBoxes[1]) {
      throw new IllegalStateException("the two sides kept different boxes: " + keptBoxes[0] + " vs " + keptBoxes[1]);
    }
    return rates;
  }

  private static int moveBoxes(MosaicSpec spec, MosaicLayout layout, List<List<Box>> boxes, int k) {
    int kept = 0;
    for (int i = 0; i < 4; i++) {
      List<Box> moved = layout.boxes(i, boxes.get((k + i) & 15), spec.minBoxArea(), spec.minVisible());
      kept += moved == null ? 0 : moved.size();
    }
    return kept;
  }
}
