package dev.tessera.runners.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Starts the Spark standalone cluster of {@link SparkClusterIT} (a master and one worker) for a benchmark in another
 * JVM, and keeps it up until its standard input closes or the process is killed. A program, not a test:
 * {@code SparkBenchmarkCluster <folder> <worker cores>} prints the pipeline arguments that submit to it
 * ({@code cluster-arg ...}) and the driver JVM's settings ({@code cluster-jvm -D...}: the executors' JVM flags and
 * class path, as {@code SparkClusterIT} sets them), then {@code cluster-startup <seconds the start
 * took>} and {@code cluster-ready}. The
 * benchmark is {@code dev.tessera.benchmarks.cluster.ClusterPreprocessBenchmark}, whose javadoc has the command.
 */
public final class SparkBenchmarkCluster {
  private SparkBenchmarkCluster() {}

  public static void main(String[] args) throws IOException {
    String flags = System.getProperty("tessera.jvm.flags");
    if (flags == null || flags.isBlank()) {
      throw new IllegalStateException("the system property tessera.jvm.flags is not set: pass "
          + "-Dtessera.jvm.flags='<the flags of pom.xml>'");
    }
    long start = System.nanoTime();
    try (SparkCluster cluster = SparkCluster.start(Path.of(args[0]), Integer.parseInt(args[1]))) {
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println("cluster-jvm -Dspark.executor.extraJavaOptions=" + flags);
      System.out.println("cluster-jvm -Dspark.executor.extraClassPath=" + SparkCluster.executorClassPathFirst());
      System.out.println("cluster-jvm -Dspark.executor.memory=1g");
      System.out.println("cluster-jvm -Dspark.driver.host=127.0.0.1");
      System.out.println("cluster-jvm -Dspark.driver.bindAddress=127.0.0.1");
      System.out.println("cluster-arg --runner=SparkRunner");
      System.out.println("cluster-arg --sparkMaster=" + cluster.master());
      System.out.printf(Locale.ROOT, "cluster-startup %.3f%n", seconds);
      System.out.println("cluster-ready"); // last: the benchmark reads the lines above once it sees this one
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
