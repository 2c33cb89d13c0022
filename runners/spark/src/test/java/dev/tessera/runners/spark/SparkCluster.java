package dev.tessera.runners.spark;

import dev.tessera.stages.testing.LocalProcesses;
import dev.tessera.stages.testing.PipDistribution;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and one worker, each its own JVM, started from the
 * Spark distribution PyPI ships as {@code pyspark} (installed on first use by {@link PipDistribution}). PyPI's
 * package holds Spark's {@code jars/} but not {@code sbin/}, so the master and worker start as
 * {@code sbin/start-master.sh} and {@code start-worker.sh} would start them. The worker launches one executor JVM
 * per application; executors get their JVM flags from the application ({@code spark.executor.extraJavaOptions}),
 * not from the worker. {@link #close()} kills every process, executors included.
 */
final class SparkCluster implements AutoCloseable {
  /**
   * The cluster runs the Spark version of the driver's class path (the build's): executors deserialize the
   * driver's tasks, and Spark classes of another patch release refuse them ({@code InvalidClassException:
   * org.apache.spark.scheduler.Task; local class incompatible}, seen with a 3.5.0 driver on 3.5.7).
   */
  static final String VERSION = org.apache.spark.package$.MODULE$.SPARK_VERSION();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final LocalProcesses processes;
  private final int port;

  private SparkCluster(LocalProcesses processes, int port) {
    this.processes = processes;
    this.port = port;
  }

  /** Starts a master and a worker of {@code cores} cores; returns once the worker registered. */
  static SparkCluster start(Path dir, int cores) {
    Path sparkHome = PipDistribution.install("pyspark", VERSION).resolve("pyspark");
    String classPath = sparkHome.resolve("jars") + "/*";
    LocalProcesses processes = new LocalProcesses(dir.resolve("logs"));
    // The worker builds each executor's command from SPARK_HOME (its jars/) and JAVA_HOME.
    Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(),
        "JAVA_HOME", System.getProperty("java.home"), "SPARK_LOCAL_IP", "127.0.0.1",
        // Without it the launcher looks for a source build (launcher/target/scala-*) and finds none.
        "SPARK_SCALA_VERSION", "2.12",
        // Executors' scratch folders (spark-*: every job's fetched jars) in the test's folder, deleted with it.
        "SPARK_LOCAL_DIRS", dir.resolve("local").toString());
    try {
      int port = LocalProcesses.freePort();
      Process master = processes.start("master", List.of(LocalProcesses.java(), "-Xmx256m", "-cp", classPath,
          "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", Integer.toString(port),
          "--webui-port", Integer.toString(LocalProcesses.freePort())), env);
      processes.awaitPort("master", master, port, START_TIMEOUT);
      Process worker = processes.start("worker", List.of(LocalProcesses.java(), "-Xmx256m", "-cp", classPath,
          "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
          "--port", Integer.toString(LocalProcesses.freePort()),
          "--webui-port", Integer.toString(LocalProcesses.freePort()),
          "--cores", Integer.toString(cores), "--memory", "2g",
          "--work-dir", dir.resolve("work").toString(), "spark://127.0.0.1:" + port), env);
      processes.awaitLog("worker", worker, "Successfully registered with master", START_TIMEOUT);
      return new SparkCluster(processes, port);
    } catch (RuntimeException | Error e) {
      processes.close();
      throw e;
    }
  }

  /**
   * The jars an executor must load before Spark's own {@code jars/} ({@code spark.executor.extraClassPath}, which
   * is prepended): Spark 3.5 ships Guava 14 and Arrow 12, and an executor's system class loader, which sees those,
   * answers before the job's jars. Tessera then fails with {@code NoSuchMethodError} in Guava's
   * {@code Preconditions} and {@code Could not initialize class org.apache.arrow.memory.RootAllocator}.
   */
  static String executorClassPathFirst() {
    return Stream.of("com.google.common.base.Preconditions",
            "com.google.common.util.concurrent.internal.InternalFutureFailureAccess",
            "org.apache.arrow.memory.RootAllocator", "org.apache.arrow.memory.unsafe.UnsafeAllocationManager",
            "org.apache.arrow.vector.VectorSchemaRoot", "org.apache.arrow.flatbuf.Message",
            "com.google.flatbuffers.FlatBufferBuilder")
        .map(SparkCluster::jarOf).distinct().collect(Collectors.joining(":"));
  }

  private static String jarOf(String className) {
    try {
      Class<?> type = Class.forName(className, false, SparkCluster.class.getClassLoader());
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (ClassNotFoundException | URISyntaxException e) {
      throw new IllegalStateException("no jar on the test class path for " + className, e);
    }
  }

  /** The master's URL, the value of {@code --sparkMaster}. */
  String master() {
    return "spark://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    processes.close();
  }
}
