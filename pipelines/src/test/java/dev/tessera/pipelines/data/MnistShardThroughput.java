package dev.tessera.pipelines.data;

import dev.tessera.pipelines.datasets.DataSettings;
import dev.tessera.pipelines.datasets.DatasetCatalog;
import dev.tessera.pipelines.datasets.IdxImages;
import dev.tessera.pipelines.datasets.IdxLabels;
import dev.tessera.pipelines.datasets.IdxSamples;
import dev.tessera.transforms.sample.Sample;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: prints shard write/read throughput on MNIST train beside {@code System.arraycopy} of the same bytes,
 * in thread CPU time (BENCHMARKS.md). Run with the test class path and the build's JVM flags; needs the catalog to
 * resolve mnist (set TESSERA_DATA_MIRROR).
 */
public final class MnistShardThroughput {
  private MnistShardThroughput() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    Path mnist = DatasetCatalog.standard(DataSettings.fromSystem().withProgress(false)).resolve("mnist");
    List<Sample> samples = new ArrayList<>();
    IdxSamples.read(IdxImages.open(mnist.resolve("train-images-idx3-ubyte")),
        IdxLabels.open(mnist.resolve("train-labels-idx1-ubyte")), "mnist", "train", 0, 60000, samples::add);
    long pixelBytes = 60000L * 784;
    Path dir = Files.createTempDirectory("tessera-throughput");
    Path file = dir.resolve("train-00000.arrow");
    ShardWriterSettings settings = ShardWriterSettings.of("mnist", DatasetCatalog.MNIST_CLASSES);
    float[] images = new float[128 * 784];
    int[] labels = new int[128];
    byte[] src = new byte[(int) pixelBytes];
    byte[] dst = new byte[(int) pixelBytes];
    for (int round = 0; round < 5; round++) {
      long t0 = cpu.getCurrentThreadCpuTime();
      try (ShardWriter writer = ShardWriter.create(file, settings)) {
        for (Sample s : samples) {
          writer.write(s);
        }
        writer.finish();
      }
      long t1 = cpu.getCurrentThreadCpuTime();
      long rows = 0;
      try (ShardReader reader = ShardReader.open(file)) {
        int n;
        while ((n = reader.readImagesFloat(images, labels, 128, 1f / 255)) > 0) {
          rows += n;
        }
      }
      long t2 = cpu.getCurrentThreadCpuTime();
      int count = 0;
      try (ShardReader reader = ShardReader.open(file)) {
        var it = reader.samples();
        while (it.hasNext()) {
          count += it.next().pixels().length > 0 ? 1 : 0;
        }
      }
      long t3 = cpu.getCurrentThreadCpuTime();
      System.arraycopy(src, 0, dst, 0, src.length);
      long t4 = cpu.getCurrentThreadCpuTime();
      double mb = pixelBytes / 1e6;
      System.out.printf("round %d: file %.1f MB; write %.0f MB/s; read float fast path %.0f MB/s (%d rows);"
              + " read Samples %.0f MB/s (%d); arraycopy %.0f MB/s; fast-read/arraycopy = %.3f%n",
          round, Files.size(file) / 1e6, mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9), rows,
          mb / ((t3 - t2) / 1e9), count, mb / ((t4 - t3) / 1e9), (double) (t4 - t3) / (t2 - t1));
    }
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }
}
