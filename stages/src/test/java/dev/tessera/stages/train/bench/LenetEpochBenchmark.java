package dev.tessera.stages.train.bench;

import ai.djl.engine.Engine;
import dev.tessera.stages.train.ArrayBatchSource;
import dev.tessera.stages.train.BatchSource;
import dev.tessera.stages.train.ClassifierTrainer;
import dev.tessera.stages.train.EpochMetrics;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.TrainSpec;
import dev.tessera.stages.train.TrainingCallbacks;
import dev.tessera.stages.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times LeNet epochs with Adam on random 1xSxS images (the speed does not depend on the pixel values), to tell
 * whether LeNet-5 fits a time budget on full MNIST. Not a unit test: run it by hand.
 *
 * <pre>
 * ./mvnw -q -B -o -pl stages -am test-compile
 * ./mvnw -q -B -o -pl stages dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Dai.djl.offline=true [-Dai.djl.pytorch.num_threads=2] \
 *     -cp stages/target/test-classes:stages/target/classes:$(cat stages/target/cp.txt) \
 *     dev.tessera.stages.train.bench.LenetEpochBenchmark [size=28] [samples=60000] [batch=128] [epochs=2] [prefetch=4]
 * </pre>
 *
 * <p>Found on the 2-core build machine (PyTorch 2.7.1 CPU, batch 128, Adam): about 25 ms a step, 11-13 s per
 * 60,000-sample epoch for 28x28 and 32x32 alike (the first conv's output is 28x28 either way). With the default 2
 * intra-op threads, libgomp's spinning barriers fall off a cliff when another process takes a core (100 steps
 * in 17-21 s instead of 2.2 s); {@code -Dai.djl.pytorch.num_threads=1} or {@code OMP_WAIT_POLICY=PASSIVE} avoid
 * that at almost no cost, because LeNet steps are too small to gain from a second thread.
 */
public final class LenetEpochBenchmark {
  private LenetEpochBenchmark() {}

  public static void main(String[] args) throws Exception {
    int size = arg(args, 0, 28);
    int samples = arg(args, 1, 60_000);
    int batch = arg(args, 2, 128);
    int epochs = arg(args, 3, 2);
    int prefetch = arg(args, 4, 4);
    System.out.println(run(size, samples, batch, epochs, prefetch));
  }

  /** Trains and returns a report: one line per epoch with its seconds and steps per second. */
  public static String run(int size, int samples, int batch, int epochs, int prefetch) throws Exception {
    SplittableRandom random = new SplittableRandom(0);
    float[][] images = new float[samples][size * size];
    int[] labels = new int[samples];
    for (int i = 0; i < samples; i++) {
      for (int p = 0; p < images[i].length; p++) {
        images[i][p] = (float) random.nextDouble();
      }
      labels[i] = random.nextInt(10);
    }
    TrainSpec spec = TrainSpec.defaults(Models.lenet().withInput(1, size, size))
        .withEpochs(epochs).withBatchSize(batch).withDevice("cpu").withPrefetchBatches(prefetch)
        .withLogEverySteps(100);
    Path dir = Files.createTempDirectory("tessera-bench");
    long stepsPerEpoch = (samples + batch - 1) / batch;
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "LeNet 1x%dx%d, %d samples, batch %d, Adam, prefetch %d, torch threads intra=%s, %d cores, engine %s %s%n",
        size, size, samples, batch, prefetch, System.getProperty("ai.djl.pytorch.num_threads", "default"),
        Runtime.getRuntime().availableProcessors(), Engine.getInstance().getEngineName(),
        Engine.getInstance().getVersion()));
    try (BatchSource train = new ArrayBatchSource(images, labels, batch, 1, true)) {
      TrainingResult result = ClassifierTrainer.train(spec, 1, train, null, new IntervalPrinter(), dir);
      for (EpochMetrics epoch : result.history()) {
        report.append(String.format(Locale.ROOT, "epoch %d: %.1f s, %.1f steps/s, %.0f samples/s%n",
            epoch.epoch(), epoch.seconds(), stepsPerEpoch / epoch.seconds(), samples / epoch.seconds()));
      }
      report.append(String.format(Locale.ROOT, "total %.1f s (saving included)%n", result.wallTime().toMillis() / 1e3));
      // CPU time well below 2 x wall time on a 2-core machine means other processes took the cores.
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
          .getOperatingSystemMXBean();
      report.append(String.format(Locale.ROOT, "process CPU %.1f s over %.1f s wall since JVM start%n",
          os.getProcessCpuTime() / 1e9,
          java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3));
    }
    return report.toString();
  }

  /** Prints the seconds per 100 steps, to tell steady slowness from a slowdown over time. */
  private static final class IntervalPrinter implements TrainingCallbacks {
    private long last = System.nanoTime();
    private final StringBuilder line = new StringBuilder();

    @Override
    public void metric(String key, double value, long step) {}

    @Override
    public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {
      if (batchInEpoch % 100 == 0 || batchInEpoch == batchesPerEpoch) {
        long now = System.nanoTime();
        line.append(String.format(Locale.ROOT, " %.2f", (now - last) / 1e9));
        last = now;
      }
      if (batchInEpoch == batchesPerEpoch) {
        System.out.println("epoch " + epoch + " s per 100 steps:" + line);
        line.setLength(0);
      }
    }

    @Override
    public void checkCancelled() {}
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
