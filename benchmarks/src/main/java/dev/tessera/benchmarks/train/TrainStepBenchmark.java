package dev.tessera.benchmarks.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import dev.tessera.stages.train.ArrayBatchSource;
import dev.tessera.stages.train.BatchSource;
import dev.tessera.stages.train.ClassifierTrainer;
import dev.tessera.stages.train.ModelSpec;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.TrainSpec;
import dev.tessera.stages.train.TrainingCallbacks;
import dev.tessera.stages.train.models.CifarResNet;
import dev.tessera.stages.train.models.Lenet;
import dev.tessera.transforms.image.SimdWidth;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The training step of LeNet-5 or ResNet-20 in Tessera's trainer against the same net in libtorch's C++ frontend
 * (bytedeco {@code pytorch}, the same libtorch 2.7.1 as DJL's), on the same batches with the same optimizer, loss,
 * initialisation scheme and intra-op threads. Prints the median step time of each side, their ratio (goal: Tessera
 * at most 1.05x libtorch), process CPU seconds per step, and the fraction of Tessera's epoch spent waiting for data
 * (goal: at most 2%).
 *
 * <pre>
 * ./mvnw -q -o -pl benchmarks -am package -DskipTests
 * java -Dai.djl.offline=true --add-opens=java.base/java.nio=ALL-UNNAMED --add-modules=jdk.incubator.vector \
 *     -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" \
 *     dev.tessera.benchmarks.train.TrainStepBenchmark [lenet|resnet20] [batch=128] [size=28] [steps=30] [threads=1] \
 *     [rounds=3]
 * </pre>
 *
 * <p>The libtorch side runs in a child JVM: loaded next to DJL's libtorch in one JVM, bytedeco's aborts the JVM
 * while loading ({@code c10::Error: Tried to register multiple backend fallbacks for the same dispatch key
 * Conjugate}): both copies register their operators in the one dispatcher of the {@code libc10.so} loaded first.
 * {@code -Dtessera.bench.sameJvm=true} tries it anyway.
 *
 * <p>Options: {@code -Dtessera.bench.peerLibtorch=djl} runs the peer on DJL's libtorch build instead of bytedeco's
 * (see {@link ChildJvm}: the two builds differ, MKL vs OpenBLAS, so only then do both sides run the same kernels);
 * {@code -Dtessera.bench.threads=true} prints each side's CPU time per thread (the training thread apart from the
 * JIT compiler's); {@code -Dtessera.bench.profile=trace.json} records Tessera's ops with libtorch's profiler;
 * {@code -Dtessera.bench.peerKeepsHeap=true} has the peer free one 31 MiB block first, as Tessera's trainer does, so
 * glibc keeps freed memory in the heap on both sides (without it the peer's steps sometimes fault their memory in
 * again each step: 230-1,950 page faults per step measured).
 */
public final class TrainStepBenchmark {
  private static final int WARMUP = 5;
  /**
   * {@code -Dtessera.bench.profile=trace.json}: libtorch's profiler records every op of Tessera's measured steps
   * (the last round's) into this Chrome trace, to count and time them.
   */
  private static final String PROFILE = System.getProperty("tessera.bench.profile");

  private TrainStepBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--libtorch-child")) {
      childMain(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String model = args.length > 0 ? args[0] : "lenet";
    int batch = arg(args, 1, 128);
    int size = arg(args, 2, 28);
    int steps = arg(args, 3, 30);
    int threads = arg(args, 4, 1);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");

    System.out.printf(Locale.ROOT, "Training step, %s 1x%dx%d, batch %d, Adam lr 1e-3, softmax cross-entropy, "
        + "%d intra-op thread(s), %d warm-up + %d measured steps%n", model, size, size, batch, threads, WARMUP,
        steps);
    System.out.printf("  CPU: %s; vector flags: %s; %d cores; load average %.2f%n", SimdWidth.cpuModel(),
        String.join(" ", SimdWidth.vectorFlags()), Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    // Alternating rounds, best of each side: other processes' load on a shared machine only ever slows a round.
    int rounds = arg(args, 5, 3);
    boolean sameJvm = Boolean.getBoolean("tessera.bench.sameJvm");
    Side tessera = null;
    Side libtorch = null;
    for (int r = 0; r < rounds; r++) {
      tessera = Side.better(tessera, tessera(model, batch, size, steps));
      libtorch = Side.better(libtorch, sameJvm ? libtorchHere(model, batch, size, steps, threads)
          : libtorchInChild(model, batch, size, steps, threads));
    }
    System.out.printf(Locale.ROOT, "  Tessera (DJL %s, PyTorch %s): median step %.1f ms, %.1f CPU-ms per step%n",
        Engine.getDjlVersion(), Engine.getInstance().getVersion(), tessera.medianMillis(), tessera.cpuMillis());
    System.out.printf(Locale.ROOT, "  libtorch C++ frontend (bytedeco, %s): median step %.1f ms, "
        + "%.1f CPU-ms per step%n", sameJvm ? "same JVM" : "child JVM", libtorch.medianMillis(),
        libtorch.cpuMillis());
    System.out.printf("  parameters: Tessera %d, libtorch %d%n", tessera.parameters(), libtorch.parameters());
    System.out.printf(Locale.ROOT, "  ratio Tessera / libtorch: %.3f by median step time, %.3f by CPU time, "
        + "%.3f by training-thread CPU time (%.1f / %.1f ms; without the JIT's threads) (goal <= 1.05); best of %d "
        + "alternating rounds%n", tessera.medianMillis() / libtorch.medianMillis(),
        tessera.cpuMillis() / libtorch.cpuMillis(), tessera.threadCpuMillis() / libtorch.threadCpuMillis(),
        tessera.threadCpuMillis(), libtorch.threadCpuMillis(), rounds);
    System.out.printf(Locale.ROOT, "  Tessera's trainer waited for data %.2f%% of the epoch (goal <= 2%%)%n",
        100 * tessera.dataWait());
    System.out.printf(Locale.ROOT, "  load average after: %.2f%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * One side's figures: step wall times in ns, process and training-thread CPU ns over them, and the data-wait
   * fraction.
   */
  private record Side(long[] stepNanos, long cpuNanos, long threadCpuNanos, double dataWait, long parameters) {
    double medianMillis() {
      long[] sorted = stepNanos.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2] / 1e6;
    }

    double cpuMillis() {
      return cpuNanos / 1e6 / stepNanos.length;
    }

    double threadCpuMillis() {
      return threadCpuNanos / 1e6 / stepNanos.length;
    }

    /** The faster of two rounds by median step time (either may be null). */
    static Side better(Side a, Side b) {
      return a == null || (b != null && b.medianMillis() < a.medianMillis()) ? b : a;
    }
  }

  /** The same random batches for both sides: pixels in [0, 1), labels in [0, 10). */
  private static float[][] images(int count, int batch, int size) {
    SplittableRandom random = new SplittableRandom(7);
    float[][] images = new float[count * batch][size * size];
    for (float[] image : images) {
      for (int p = 0; p < image.length; p++) {
        image[p] = (float) random.nextDouble();
      }
    }
    return images;
  }

  private static int[] labels(int count) {
    SplittableRandom random = new SplittableRandom(11);
    int[] labels = new int[count];
    Arrays.setAll(labels, i -> random.nextInt(10));
    return labels;
  }

  private static ModelSpec spec(String model, int size) {
    String name = switch (model) {
      case "lenet" -> Lenet.NAME;
      case "resnet20" -> CifarResNet.Resnet20.NAME;
      default -> throw new IllegalArgumentException("model must be lenet or resnet20, but was '" + model + "'");
    };
    return new ModelSpec(name, 1, size, size, 10, List.of());
  }

  private static Side tessera(String model, int batch, int size, int steps) throws Exception {
    int total = WARMUP + steps;
    float[][] images = images(total, batch, size);
    int[] labels = labels(images.length);
    TrainSpec spec = TrainSpec.defaults(spec(model, size)).withEpochs(1).withBatchSize(batch).withDevice("cpu")
        .withLogEverySteps(1_000_000);
    Recorder recorder = new Recorder(total);
    Path dir = Files.createTempDirectory("tessera-step-bench");
    try (BatchSource train = new ArrayBatchSource(images, labels, batch, 1, false)) {
      ClassifierTrainer.train(spec, 1, train, null, recorder, dir);
    }
    long[] measured = new long[steps];
    for (int s = 0; s < steps; s++) {
      measured[s] = recorder.ends[WARMUP + s] - recorder.ends[WARMUP + s - 1];
    }
    return new Side(measured, recorder.cpuAtEnd - recorder.cpuAtWarmup,
        recorder.threadCpuAtEnd - recorder.threadCpuAtWarmup, recorder.dataWait, parameterCount(spec.model()));
  }

  /** The parameters of Tessera's net for {@code model}, initialised for one image. */
  private static long parameterCount(ModelSpec model) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block block = Models.newBlock(model);
      block.initialize(manager, DataType.FLOAT32, new Shape(1, model.channels(), model.height(), model.width()));
      return block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }
  }

  /** Step end times from the trainer's progress reports, and the data-wait metric. */
  private static final class Recorder implements TrainingCallbacks {
    final long[] ends;
    long cpuAtWarmup;
    long cpuAtEnd;
    long threadCpuAtWarmup;
    long threadCpuAtEnd;
    java.util.Map<String, Long> threadsAtWarmup;
    double dataWait = Double.NaN;

    Recorder(int steps) {
      ends = new long[steps];
    }

    @Override
    public void metric(String key, double value, long step) {
      if (key.equals(ClassifierTrainer.DATA_WAIT_METRIC)) {
        dataWait = value;
      }
    }

    @Override
    public void progress(int epoch, long batchInEpoch, long batchesPerEpoch, String message) {
      if (batchInEpoch > ends.length) {
        return;
      }
      ends[(int) batchInEpoch - 1] = System.nanoTime();
      if (batchInEpoch == WARMUP) {
        cpuAtWarmup = ProcessCpu.nanos();
        threadCpuAtWarmup = ProcessCpu.currentThreadNanos();
        threadsAtWarmup = ThreadCpu.snapshot();
        if (PROFILE != null) {
          JniUtils.startProfile(false, false, false);
        }
      }
      if (batchInEpoch == ends.length) {
        cpuAtEnd = ProcessCpu.nanos();
        threadCpuAtEnd = ProcessCpu.currentThreadNanos();
        if (Boolean.getBoolean(ChildJvm.THREADS)) {
          System.out.print("  Tessera's threads over the measured steps:\n"
              + ThreadCpu.between(threadsAtWarmup, ThreadCpu.snapshot(), ends.length - WARMUP));
        }
        if (PROFILE != null) {
          JniUtils.stopProfile(PROFILE);
        }
      }
    }

    @Override
    public void checkCancelled() {}
  }

  private static Side libtorchInChild(String model, int batch, int size, int steps, int threads) throws Exception {
    return side(ChildJvm.run(TrainStepBenchmark.class, List.of("--libtorch-child", model, Integer.toString(batch),
        Integer.toString(size), Integer.toString(steps), Integer.toString(threads)), threads));
  }

  /** The libtorch side from {@link LibtorchSteps#run}'s numbers. */
  private static Side side(long[] values) {
    int steps = values.length - 3;
    return new Side(Arrays.copyOf(values, steps), values[steps], values[steps + 1], Double.NaN, values[steps + 2]);
  }

  /** The child JVM: the libtorch steps on the same batches, printed as nanoseconds on one line. */
  private static void childMain(String[] args) {
    long[] times = libtorchTimes(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
        Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    ChildJvm.print(times);
  }

  /** The libtorch side in this JVM, next to DJL's libtorch ({@code -Dtessera.bench.sameJvm=true}). */
  private static Side libtorchHere(String model, int batch, int size, int steps, int threads) {
    return side(libtorchTimes(model, batch, size, steps, threads));
  }

  private static long[] libtorchTimes(String model, int batch, int size, int steps, int threads) {
    int total = WARMUP + steps;
    float[][] images = images(total, batch, size);
    int[] labels = labels(images.length);
    float[][] batches = new float[total][batch * size * size];
    long[][] classes = new long[total][batch];
    for (int s = 0; s < total; s++) {
      for (int i = 0; i < batch; i++) {
        System.arraycopy(images[s * batch + i], 0, batches[s], i * size * size, size * size);
        classes[s][i] = labels[s * batch + i];
      }
    }
    return LibtorchSteps.run(model, threads, batches, classes, batch, size, WARMUP, steps);
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
