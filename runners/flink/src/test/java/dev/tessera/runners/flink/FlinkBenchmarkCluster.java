package dev.tessera.runners.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Starts the Flink session cluster of {@link FlinkClusterIT} (JobManager and TaskManagers of two slots, Tessera's
 * JVM flags and the jobs' classes on the TaskManagers) for a benchmark in another JVM, and keeps it up until its
 * standard input closes or the process is killed. A program, not a test: {@code FlinkBenchmarkCluster <folder>
 * <TaskManagers>} prints the pipeline arguments that submit to it ({@code cluster-arg ...}), then
 * {@code cluster-startup <seconds the start took>} and {@code cluster-ready}. The benchmark is
 * {@code dev.tessera.benchmarks.cluster.ClusterPreprocessBenchmark}, whose javadoc has the command.
 */
public final class FlinkBenchmarkCluster {
  private FlinkBenchmarkCluster() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int taskManagers = Integer.parseInt(args[1]);
    long start = System.nanoTime();
    try (FlinkCluster cluster = FlinkCluster.start(dir, taskManagers, FlinkClusterIT.workerFlags(),
        FlinkClusterIT.jobClassPath())) {
      double seconds = (System.nanoTime() - start) / 1e9;
      // As in FlinkClusterIT: the classes are on the cluster already, so each job uploads an empty jar.
      Path emptyJar = dir.resolve("no-classes.jar");
      new JarOutputStream(Files.newOutputStream(emptyJar), new Manifest()).close();
      System.out.println("cluster-arg --runner=FlinkRunner");
      System.out.println("cluster-arg --flinkMaster=" + cluster.master());
      System.out.println("cluster-arg --parallelism=" + 2 * taskManagers);
      System.out.println("cluster-arg --filesToStage=" + emptyJar);
      System.out.printf(Locale.ROOT, "cluster-startup %.3f%n", seconds);
      System.out.println("cluster-ready"); // last: the benchmark reads the lines above once it sees this one
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
    }
  }
}
