package dev.tessera.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.tessera.transforms.image.ImageTransforms;
import dev.tessera.transforms.image.NormalizeSample;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleCoder;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Beam DirectRunner per-element cost (issue 4, item 8): a cheap per-sample kernel ({@link NormalizeSample} on a
 * 28x28 uint8 gray sample, as MNIST preprocessing does) over N elements from {@code GenerateSequence}, against a
 * plain Java loop making and normalizing the same samples. Elements per CPU second of the whole process (the
 * DirectRunner works on its own threads, so thread CPU time of the caller would miss it), best of interleaved
 * rounds; each Beam round is a whole pipeline run in a warm JVM, start-up included. Checks off as in real runs
 * ({@code --enforceImmutability=false --enforceEncodability=false}).
 *
 * <p>Run: {@code java <tessera.jvm.flags> -cp <classpath> dev.tessera.benchmarks.BeamOverheadBenchmark [rounds]
 * [elements]} (defaults 5 and 200,000).
 */
public final class BeamOverheadBenchmark {
  static final AtomicLong SINK = new AtomicLong();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private BeamOverheadBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long n = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
    NormalizeSample normalize = new NormalizeSample(ImageTransforms.normalize(0.1307, 0.3081));
    runBeam(normalize, Math.min(n, 20_000)); // warm-up: class loading, JIT, options scanning
    runLoop(normalize, Math.min(n, 20_000));
    double bestBeam = 0;
    double bestLoop = 0;
    double bestBeamWall = 0;
    for (int r = 0; r < rounds; r++) {
      long c0 = OS.getProcessCpuTime();
      long w0 = System.nanoTime();
      runBeam(normalize, n);
      long c1 = OS.getProcessCpuTime();
      long w1 = System.nanoTime();
      runLoop(normalize, n);
      long c2 = OS.getProcessCpuTime();
      double beam = n / ((c1 - c0) / 1e9);
      double loop = n / ((c2 - c1) / 1e9);
      System.out.printf("  round %d: Beam %.0f elements/CPU-s (%.0f/s wall), loop %.0f elements/CPU-s%n", r, beam,
          n / ((w1 - w0) / 1e9), loop);
      bestBeam = Math.max(bestBeam, beam);
      bestLoop = Math.max(bestLoop, loop);
      bestBeamWall = Math.max(bestBeamWall, n / ((w1 - w0) / 1e9));
    }
    System.out.printf("Beam DirectRunner per-element cost: NormalizeSample on 28x28 uint8 samples, %d elements,"
        + " process CPU time, best of %d (checksum %d)%n", n, rounds, SINK.get());
    System.out.printf("  DirectRunner (checks off, pipeline start included): %.0f elements/CPU-s (best wall %.0f/s)%n",
        bestBeam, bestBeamWall);
    System.out.printf("  plain Java loop:                                    %.0f elements/CPU-s%n", bestLoop);
    System.out.printf("  ratio Beam / loop: %.3f (%.1f us of Beam overhead per element)%n", bestBeam / bestLoop,
        1e6 / bestBeam - 1e6 / bestLoop);
  }

  static Sample sample(long i) {
    byte[] pixels = new byte[28 * 28];
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = (byte) (i + k);
    }
    return Sample.ofUint8("bench/train/" + i, pixels, 28, 28, 1, Layout.HWC, (int) (i % 10), "bench", "train");
  }

  private static void runLoop(NormalizeSample normalize, long n) {
    long sum = 0;
    for (long i = 0; i < n; i++) {
      Sample out = normalize.apply(sample(i));
      sum += out.pixels()[5];
    }
    SINK.addAndGet(sum);
  }

  private static void runBeam(NormalizeSample normalize, long n) {
    DirectOptions options = PipelineOptionsFactory.fromArgs("--enforceImmutability=false",
        "--enforceEncodability=false").as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    p.apply("Generate", GenerateSequence.from(0).to(n))
        .apply("MakeSample", MapElements.into(TypeDescriptor.of(Sample.class)).via(BeamOverheadBenchmark::sample))
        .setCoder(SampleCoder.of())
        .apply("Normalize", MapElements.into(TypeDescriptor.of(Sample.class)).via(normalize::apply))
        .setCoder(SampleCoder.of())
        .apply("Sink", ParDo.of(new DoFn<Sample, Void>() {
          @ProcessElement
          public void process(@Element Sample s) {
            SINK.addAndGet(s.pixels()[5]);
          }
        }));
    p.run().waitUntilFinish();
  }
}
