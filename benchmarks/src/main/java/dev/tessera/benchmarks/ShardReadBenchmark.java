package dev.tessera.benchmarks;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.stages.train.BatchSource;
import dev.tessera.stages.train.ImageBatch;
import dev.tessera.stages.train.ShardBatchSource;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * P3 (issue 4, item 8): reading Arrow shards into training batches, GB/s of float32 image bytes delivered, divided
 * by {@code System.arraycopy} GB/s of the same number of bytes, both in thread CPU time on one thread, interleaved,
 * best round per side.
 *
 * <p>The Java side is the trainer's own reader, {@link ShardBatchSource}, delivering {@link ImageBatch}es
 * (float[] NCHW + int[] labels) exactly as {@code Train} gets them (without the prefetching thread, so that all the
 * work is on the measured thread), and handing each batch back with {@code release} as the trainer does once DJL
 * has copied it into tensors. Three modes: shuffled by single rows as in training, shuffled by blocks of
 * {@code blockRows} rows (the {@code shuffleBlockRows} option), and in order as in evaluation. With single-row
 * shuffling a third column shows the ceiling of that access pattern: {@code System.arraycopy} of one image at a
 * time from a heap array holding the whole dataset, in a random order (no Arrow, no mapping; the same bytes).
 * The data is written first with {@link ShardWriter} into
 * a temporary directory: float32 CHW images of random values with labels, in shards of {@code rowsPerShard} rows
 * (defaults: 1x32x32 like preprocessed MNIST, 70,000 images = 287 MB in 10 shards). The files stay in the page
 * cache, as they do for every epoch after the first. The peer copies a shard-sized {@code float[]} into another
 * with one {@code System.arraycopy} per shard, so both sides move the same bytes through memory.
 *
 * <p>Run: {@code java <tessera.jvm.flags> -cp <classpath> dev.tessera.benchmarks.ShardReadBenchmark [rounds]
 * [images] [channels] [size] [batch] [blockRows]} (defaults 7 70000 1 32 128 16).
 */
public final class ShardReadBenchmark {
  private ShardReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 70_000;
    int channels = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int size = args.length > 3 ? Integer.parseInt(args[3]) : 32;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 128;
    int blockRows = args.length > 5 ? Integer.parseInt(args[5]) : 16;
    int elements = channels * size * size;
    int shards = 10;
    // P3_KEEP=dir keeps the written shards there (and reuses nothing): for profiling the reader on its own.
    Path dir = System.getenv("P3_KEEP") != null
        ? Files.createDirectories(Path.of(System.getenv("P3_KEEP"))) : Files.createTempDirectory("tessera-p3");
    try {
      List<ShardInfo> infos = write(dir, images, shards, channels, size);
      for (int block : new int[] {1, blockRows, 0}) {
        boolean shuffle = block > 0;
        try (ShardBatchSource source = new ShardBatchSource(dir, infos, elements, batch, 42, shuffle,
            Math.max(1, block))) {
          String mode = !shuffle ? "in order as in evaluation"
              : block == 1 ? "shuffled by rows as in training" : "shuffled by blocks of " + block + " rows";
          measure(source, mode, block == 1, rounds, images, elements, shards, channels, size, batch);
        }
      }
    } finally {
      if (System.getenv("P3_KEEP") == null) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }

  private static void measure(ShardBatchSource source, String mode, boolean gather, int rounds, int images,
      int elements, int shards, int channels, int size, int batch) {
      double bytes = (double) images * elements * Float.BYTES;
      int perShard = images / shards;
      float[] src = new float[perShard * elements];
      float[] dst = new float[perShard * elements];
      // The ceiling of random single-image reads: the whole dataset on the heap, gathered in a random order.
      float[] all = gather ? new float[images * elements] : null;
      int[] order = gather ? randomOrder(images) : null;
      float[] into = gather ? new float[batch * elements] : null;
      if (gather) {
        java.util.Arrays.fill(all, 1f);
      }
      ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
      double bestRead = 0;
      double bestCopy = 0;
      double bestGather = 0;
      long checksum = 0;
      for (int round = 0; round < rounds; round++) {
        long t0 = cpu.getCurrentThreadCpuTime();
        long delivered = 0;
        try (BatchSource.Cursor cursor = source.epoch(round)) {
          while (cursor.hasNext()) {
            ImageBatch b = cursor.next();
            delivered += b.count();
            checksum += b.labels()[0] + Float.floatToRawIntBits(b.images()[elements - 1]);
            cursor.release(b); // as the trainer does once DJL has copied the batch into tensors
          }
        }
        long t1 = cpu.getCurrentThreadCpuTime();
        for (int s = 0; s < shards; s++) {
          System.arraycopy(src, 0, dst, 0, src.length);
          checksum += Float.floatToRawIntBits(dst[s]);
        }
        long t2 = cpu.getCurrentThreadCpuTime();
        if (gather) {
          for (int i = 0; i < images; i++) {
            System.arraycopy(all, order[i] * elements, into, (i % batch) * elements, elements);
          }
          checksum += Float.floatToRawIntBits(into[round]);
        }
        long t3 = cpu.getCurrentThreadCpuTime();
        if (delivered != images) {
          throw new IllegalStateException("read " + delivered + " images, expected " + images);
        }
        double read = bytes / ((t1 - t0) / 1e9) / 1e9;
        double copy = bytes / ((t2 - t1) / 1e9) / 1e9;
        double gathered = gather ? bytes / ((t3 - t2) / 1e9) / 1e9 : 0;
        bestRead = Math.max(bestRead, read);
        bestCopy = Math.max(bestCopy, copy);
        bestGather = Math.max(bestGather, gathered);
        System.out.printf("  round %d: read %.2f GB/s, arraycopy %.2f GB/s%s%n", round, read, copy,
            gather ? String.format(", heap gather %.2f GB/s", gathered) : "");
      }
      System.out.printf("P3 Arrow shards -> training batches (ShardBatchSource, %s, batch %d), %d images of"
          + " float32 %dx%dx%d = %.0f MB in %d shards, one thread, thread CPU time (checksum %d)%n",
          mode, batch, images, channels, size, size, bytes / 1e6, shards, checksum);
      System.out.printf("  Java (ShardBatchSource): %.2f GB/s%n", bestRead);
      System.out.printf("  System.arraycopy:        %.2f GB/s%n", bestCopy);
      System.out.printf("  ratio read / arraycopy: %.2f%n", bestRead / bestCopy);
      if (gather) {
        System.out.printf("  ceiling of random single-image reads, heap gather with System.arraycopy: %.2f GB/s"
            + " (ratio %.2f); read / heap gather: %.2f%n", bestGather, bestGather / bestCopy, bestRead / bestGather);
      }
  }

  private static int[] randomOrder(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(7);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private static List<ShardInfo> write(Path dir, int images, int shards, int channels, int size) throws IOException {
    List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    SplittableRandom random = new SplittableRandom(42);
    List<ShardInfo> infos = new ArrayList<>();
    int elements = channels * size * size;
    int perShard = images / shards;
    for (int s = 0; s < shards; s++) {
      String name = String.format("train-%05d.arrow", s);
      try (ShardWriter writer = ShardWriter.create(dir.resolve(name), ShardWriterSettings.of("p3", classes))) {
        for (int i = 0; i < perShard; i++) {
          float[] pixels = new float[elements];
          for (int e = 0; e < elements; e++) {
            pixels[e] = (float) random.nextGaussian();
          }
          int id = s * perShard + i;
          Sample sample = Sample.ofUint8("p3/train/" + id, new byte[elements], size, size, channels, Layout.CHW,
              id % 10, "benchmark", "train").withPixels(pixels, size, size, channels, Layout.CHW);
          writer.write(sample);
        }
        infos.add(writer.finish());
      }
    }
    return infos;
  }
}
