package dev.tessera.benchmarks.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.tessera.stages.detection.model.AnchorBox;
import dev.tessera.stages.detection.model.YoloConfig;
import dev.tessera.stages.detection.model.YoloNet;
import dev.tessera.transforms.image.SimdWidth;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * The detector's training step (forward, loss, backward, Adam update) in Tessera ({@link YoloNet} through DJL
 * 0.35.1's trainer, libtorch 2.7.1) against the same network written in libtorch's C++ frontend ({@link LibtorchYolo},
 * bytedeco {@code pytorch} 2.7.1), on the same random images, with the same intra-op threads.
 *
 * <p>Both sides use the same stand-in loss, the mean of the squared raw outputs summed over the three heads: it has
 * the shape of the detector's loss (a scalar from all three outputs) but not its label assignment, so the figure
 * compares the network's forward, backward and update, like with like. The bccd-yolo shape is the default: width
 * 0.25, depth 0.33, 3 classes, 3 anchors per scale, 320 px, batch 8. The libtorch side runs in a child JVM, as in
 * {@link TrainStepBenchmark} (two libtorch copies abort one JVM; {@code -Dtessera.bench.sameJvm=true} tries).
 *
 * <pre>
 * java -Dai.djl.offline=true --add-opens=java.base/java.nio=ALL-UNNAMED --add-modules=jdk.incubator.vector \
 *     -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" \
 *     dev.tessera.benchmarks.train.DetectorStepBenchmark [batch=8] [size=320] [steps=10] [threads=1] [rounds=2]
 * </pre>
 */
public final class DetectorStepBenchmark {
  private static final int WARMUP = 3;
  private static final int DISTINCT_BATCHES = 2;

  private DetectorStepBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--libtorch-child")) {
      long[] values = libtorch(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
          Integer.parseInt(args[4]));
      ChildJvm.print(values);
      return;
    }
    int batch = arg(args, 0, 8);
    int size = arg(args, 1, 320);
    int steps = arg(args, 2, 10);
    int threads = arg(args, 3, 1);
    int rounds = arg(args, 4, 2);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    YoloConfig config = config();
    System.out.printf(Locale.ROOT, "Detector training step, YoloNet width %.2f depth %.2f, %d classes, 3x%dx%d, batch"
        + " %d, Adam lr 1e-3, stand-in loss (sum over heads of mean squared raw output, same on both sides), %d "
        + "intra-op thread(s), %d warm-up + %d measured steps, %d rounds%n", config.width(), config.depth(),
        config.classes(), size, size, batch, threads, WARMUP, steps, rounds);
    System.out.printf("  CPU: %s; vector flags: %s; %d cores; load average %.2f%n", SimdWidth.cpuModel(),
        String.join(" ", SimdWidth.vectorFlags()), Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    boolean sameJvm = Boolean.getBoolean("tessera.bench.sameJvm");
    long[] tessera = null;
    long[] libtorch = null;
    for (int r = 0; r < rounds; r++) {
      tessera = better(tessera, tessera(batch, size, steps));
      libtorch = better(libtorch, sameJvm ? libtorch(batch, size, steps, threads)
          : libtorchInChild(batch, size, steps, threads));
    }
    long tesseraParameters = tessera[steps + 1];
    long libtorchParameters = libtorch[steps + 1];
    System.out.printf("  parameters: Tessera %d, libtorch %d%n", tesseraParameters, libtorchParameters);
    if (tesseraParameters != libtorchParameters) {
      throw new IllegalStateException("the two networks differ: Tessera has " + tesseraParameters
          + " parameters, libtorch " + libtorchParameters + ". Fix LibtorchYolo to match YoloNet layer for layer.");
    }
    System.out.printf(Locale.ROOT, "  Tessera (DJL %s, PyTorch %s): median step %.1f ms, %.1f CPU-ms per step%n",
        Engine.getDjlVersion(), Engine.getInstance().getVersion(), median(tessera, steps), cpu(tessera, steps));
    System.out.printf(Locale.ROOT, "  libtorch C++ frontend (bytedeco, %s): median step %.1f ms, %.1f CPU-ms per "
        + "step%n", sameJvm ? "same JVM" : "child JVM", median(libtorch, steps), cpu(libtorch, steps));
    System.out.printf(Locale.ROOT, "  ratio Tessera / libtorch: %.3f by median step time, %.3f by CPU time%n",
        median(tessera, steps) / median(libtorch, steps), cpu(tessera, steps) / cpu(libtorch, steps));
  }

  /** bccd-yolo's network shape (its anchors' values do not change the step's cost). */
  static YoloConfig config() {
    List<List<AnchorBox>> anchors = new ArrayList<>();
    for (int s = 0; s < YoloConfig.STRIDES.size(); s++) {
      double base = 10.0 * (1 << s);
      anchors.add(List.of(new AnchorBox(base, base), new AnchorBox(2 * base, 1.5 * base),
          new AnchorBox(3 * base, 3 * base)));
    }
    return new YoloConfig(3, 0.25, 0.33, anchors);
  }

  /** {@code DISTINCT_BATCHES} random image batches, pixels in [0, 1), the same for both sides. */
  private static float[][] batches(int batch, int size) {
    SplittableRandom random = new SplittableRandom(7);
    float[][] batches = new float[DISTINCT_BATCHES][batch * 3 * size * size];
    for (float[] b : batches) {
      for (int p = 0; p < b.length; p++) {
        b[p] = (float) random.nextDouble();
      }
    }
    return batches;
  }

  /** Step wall times (ns) of the measured steps, then their process CPU ns, then the parameter count. */
  private static long[] tessera(int batch, int size, int steps) {
    float[][] batches = batches(batch, size);
    long[] values = new long[steps + 2];
    Shape shape = new Shape(batch, 3, size, size);
    try (Model model = Model.newInstance("detector-step", "PyTorch")) {
      YoloNet net = new YoloNet(config());
      model.setBlock(net);
      DefaultTrainingConfig training = new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
      try (Trainer trainer = model.newTrainer(training)) {
        trainer.initialize(shape);
        values[steps + 1] = net.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        long cpuStart = 0;
        for (int s = 0; s < WARMUP + steps; s++) {
          if (s == WARMUP) {
            cpuStart = ProcessCpu.nanos();
          }
          long t0 = System.nanoTime();
          try (NDManager step = trainer.getManager().newSubManager()) {
            NDArray x = step.create(batches[s % batches.length], shape);
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDList outputs = trainer.forward(new NDList(x));
              NDArray loss = outputs.get(0).square().mean();
              for (int h = 1; h < outputs.size(); h++) {
                loss = loss.add(outputs.get(h).square().mean());
              }
              collector.backward(loss);
              if (Float.isNaN(loss.getFloat())) {
                throw new IllegalStateException("Tessera's loss is NaN at step " + s);
              }
            }
            trainer.step();
          }
          if (s >= WARMUP) {
            values[s - WARMUP] = System.nanoTime() - t0;
          }
        }
        values[steps] = ProcessCpu.nanos() - cpuStart;
      }
    }
    return values;
  }

  /** The same as {@link #tessera} for {@link LibtorchYolo}, in this process. */
  private static long[] libtorch(int batch, int size, int steps, int threads) {
    float[][] batches = batches(batch, size);
    torch.set_num_threads(threads);
    torch.manual_seed(1);
    LibtorchYolo net = new LibtorchYolo(config());
    net.train(true);
    Adam adam = new Adam(net.parameters(), new AdamOptions(1e-3));
    FloatPointer images = new FloatPointer((long) batch * 3 * size * size);
    Tensor x = torch.from_blob(images, new long[] {batch, 3, size, size}, new TensorOptions(torch.ScalarType.Float));
    long[] values = new long[steps + 2];
    values[steps + 1] = LibtorchSteps.parameterCount(net);
    long cpuStart = 0;
    for (int s = 0; s < WARMUP + steps; s++) {
      if (s == WARMUP) {
        cpuStart = ProcessCpu.nanos();
      }
      long t0 = System.nanoTime();
      try (PointerScope scope = new PointerScope()) {
        images.put(batches[s % batches.length]);
        Tensor[] outputs = net.forward(x);
        Tensor loss = outputs[0].square().mean();
        for (int h = 1; h < outputs.length; h++) {
          loss = loss.add(outputs[h].square().mean());
        }
        adam.zero_grad();
        loss.backward();
        adam.step();
        if (Float.isNaN(loss.item_float())) {
          throw new IllegalStateException("libtorch's loss is NaN at step " + s);
        }
      }
      if (s >= WARMUP) {
        values[s - WARMUP] = System.nanoTime() - t0;
      }
    }
    values[steps] = ProcessCpu.nanos() - cpuStart;
    return values;
  }

  private static long[] libtorchInChild(int batch, int size, int steps, int threads) throws Exception {
    return ChildJvm.run(DetectorStepBenchmark.class, List.of("--libtorch-child", Integer.toString(batch),
        Integer.toString(size), Integer.toString(steps), Integer.toString(threads)), threads);
  }

  /** The round with the lower median step time (either may be null). */
  private static long[] better(long[] a, long[] b) {
    int steps = (b != null ? b.length : a.length) - 2;
    return a == null || (b != null && median(b, steps) < median(a, steps)) ? b : a;
  }

  private static double median(long[] values, int steps) {
    long[] sorted = Arrays.copyOf(values, steps);
    Arrays.sort(sorted);
    return sorted[steps / 2] / 1e6;
  }

  private static double cpu(long[] values, int steps) {
    return values[steps] / 1e6 / steps;
  }

  private static int arg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
