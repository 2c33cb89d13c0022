package dev.tessera.benchmarks.train;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * The peer side of {@link TrainStepBenchmark}: training steps of a {@link LibtorchNets} net in libtorch's C++
 * frontend, fed the same Java arrays Tessera's trainer gets, with the same optimizer (Adam, lr 1e-3) and loss
 * (softmax cross-entropy). Each step copies the batch from the Java heap into native memory, as Tessera does.
 */
final class LibtorchSteps {
  private LibtorchSteps() {}

  /**
   * Runs {@code warmup + steps} steps over {@code batches} (cycled) and returns the wall nanoseconds of each
   * measured step, then the process CPU nanoseconds of all measured steps, then the training thread's CPU
   * nanoseconds of them, then the net's parameter count.
   */
  static long[] run(String model, int threads, float[][] batches, long[][] labels, int batch, int size,
      int warmup, int steps) {
    torch.set_num_threads(threads);
    torch.manual_seed(1);
    System.err.println(ChildJvm.describeLibtorch());
    if (Boolean.getBoolean(ChildJvm.PEER_KEEPS_HEAP)) {
      // Freeing a mapped block of 31 MiB raises glibc's mmap and trim thresholds for good (see NativeHeap).
      // 31 MiB of floats, uninitialized.
      try (Tensor block = torch.empty(new long[] {31L << 18}, new org.bytedeco.pytorch.DimnameListOptional())) {
        System.err.println("  peer: freed a block of " + block.nbytes() + " bytes to keep freed memory in the heap");
      }
    }
    LibtorchNets.Net net = LibtorchNets.create(model, 1, size, 10);
    net.train(true);
    Adam adam = new Adam(net.parameters(), new AdamOptions(1e-3));
    FloatPointer images = new FloatPointer((long) batch * size * size);
    LongPointer classes = new LongPointer(batch);
    Tensor x = torch.from_blob(images, new long[] {batch, 1, size, size}, new TensorOptions(torch.ScalarType.Float));
    Tensor y = torch.from_blob(classes, new long[] {batch}, new TensorOptions(torch.ScalarType.Long));
    long[] times = new long[steps + 3];
    times[steps + 2] = parameterCount(net);
    long cpuStart = 0;
    long threadCpuStart = 0;
    java.util.Map<String, Long> threadsAtStart = null;
    for (int s = 0; s < warmup + steps; s++) {
      if (s == warmup) {
        cpuStart = ProcessCpu.nanos();
        threadCpuStart = ProcessCpu.currentThreadNanos();
        threadsAtStart = ThreadCpu.snapshot();
        if (System.getProperty(ChildJvm.PEER_PROFILE) != null) {
          // Loads DJL's JNI library, which binds to the libtorch this process already runs (same files).
          ai.djl.engine.Engine.getEngine("PyTorch");
          // DJL's engine turns autograd off for the whole process (its gradient collector turns it on).
          ai.djl.pytorch.jni.JniUtils.setGradMode(true);
          ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
        }
      }
      long t0 = System.nanoTime();
      // Frees the step's tensors when it ends, as C++ scopes do: left to the garbage collector, JavaCPP's memory
      // limit makes allocations wait for collections (measured: step wall time 9x its CPU time).
      try (PointerScope scope = new PointerScope()) {
        images.put(batches[s % batches.length]);
        classes.put(labels[s % labels.length]);
        Tensor logits = net.forward(x);
        Tensor loss = torch.nll_loss(torch.log_softmax(logits, 1), y);
        adam.zero_grad();
        loss.backward();
        adam.step();
        if (Float.isNaN(loss.item_float())) {
          throw new IllegalStateException("libtorch's loss is NaN at step " + s);
        }
      }
      if (s >= warmup) {
        times[s - warmup] = System.nanoTime() - t0;
      }
    }
    times[steps] = ProcessCpu.nanos() - cpuStart;
    times[steps + 1] = ProcessCpu.currentThreadNanos() - threadCpuStart;
    if (System.getProperty(ChildJvm.PEER_PROFILE) != null) {
      ai.djl.pytorch.jni.JniUtils.stopProfile(System.getProperty(ChildJvm.PEER_PROFILE));
    }
    if (Boolean.getBoolean(ChildJvm.THREADS)) {
      System.err.print("  libtorch's threads over the measured steps:\n"
          + ThreadCpu.between(threadsAtStart, ThreadCpu.snapshot(), steps));
    }
    return times;
  }

  /** Parameters plus batch norm's running statistics, as DJL counts a block's parameters. */
  static long parameterCount(Module net) {
    long count = 0;
    for (Tensor parameter : net.parameters().get()) {
      count += parameter.numel();
    }
    // DJL counts batch norm's running mean and variance as parameters; libtorch keeps them as buffers.
    var buffers = net.named_buffers();
    for (long i = 0; i < buffers.size(); i++) {
      if (buffers.keys().get(i).getString().contains("running_")) {
        count += buffers.values().get(i).numel();
      }
    }
    return count;
  }
}
