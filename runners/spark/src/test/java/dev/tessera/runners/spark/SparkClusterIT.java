package dev.tessera.runners.spark;

import dev.tessera.stages.testing.BeamStagesContract;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.translation.SparkContextFactory;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Beam stage on a real Spark standalone cluster, byte-identical to the DirectRunner: a master and a worker of
 * two cores, each its own JVM on 127.0.0.1 (see {@link SparkCluster}). Beam's SparkRunner runs the driver in the
 * test's JVM with {@code --sparkMaster=spark://127.0.0.1:<port>}; the executors, launched by the worker, get
 * Tessera's JVM flags through {@code spark.executor.extraJavaOptions}, set here as system properties the way
 * {@code TESSERA_JAVA_OPTS} sets them for {@code tessera run}.
 *
 * <p>Where {@code tessera run} starts one Spark application per stage, this class keeps one for all its stages
 * (Beam's {@code beam.spark.test.reuseSparkContext}): one executor JVM is launched and fetches the job's jars once,
 * instead of once per stage.
 */
class SparkClusterIT extends BeamStagesContract {
  private static final List<String> DRIVER_SETTINGS = List.of(
      "spark.executor.extraJavaOptions", "spark.driver.host", "spark.driver.bindAddress", "spark.executor.memory",
      "spark.executor.extraClassPath");
  @TempDir static Path clusterDir;
  private static SparkCluster cluster;

  @BeforeAll
  static void startCluster() {
    String flags = System.getProperty("tessera.jvm.flags");
    if (flags == null || flags.isBlank()) {
      throw new IllegalStateException("the system property tessera.jvm.flags is not set: run this test through "
          + "Maven (runners/spark/pom.xml passes it), or pass -Dtessera.jvm.flags='<the flags of pom.xml>'");
    }
    // Beam's SparkRunner builds its SparkConf from the JVM's spark.* system properties.
    System.setProperty("spark.executor.extraJavaOptions", flags);
    System.setProperty("spark.driver.host", "127.0.0.1");
    System.setProperty("spark.driver.bindAddress", "127.0.0.1");
    System.setProperty("spark.executor.memory", "1g");
    System.setProperty("spark.executor.extraClassPath", SparkCluster.executorClassPathFirst());
    System.setProperty(SparkContextFactory.TEST_REUSE_SPARK_CONTEXT, "true");
    cluster = SparkCluster.start(clusterDir, 2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      // The shared application's context, which Beam returns while reuse is on; stopped once reuse is off.
      SparkPipelineOptions options = PipelineOptionsFactory.as(SparkPipelineOptions.class);
      options.setSparkMaster(cluster.master());
      JavaSparkContext shared = SparkContextFactory.getSparkContext(options);
      System.clearProperty(SparkContextFactory.TEST_REUSE_SPARK_CONTEXT);
      SparkContextFactory.stopSparkContext(shared);
    }
    System.clearProperty(SparkContextFactory.TEST_REUSE_SPARK_CONTEXT);
    DRIVER_SETTINGS.forEach(System::clearProperty);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected List<String> pipelineArgs() {
    return List.of("--runner=SparkRunner", "--sparkMaster=" + cluster.master());
  }
}
