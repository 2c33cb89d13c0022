package dev.tessera.runners.flink;

import dev.tessera.stages.testing.BeamStagesContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.construction.resources.PipelineResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Beam stage on a real Flink session cluster, byte-identical to the DirectRunner: a JobManager and two
 * TaskManagers of two slots, each its own JVM on 127.0.0.1 (see {@link FlinkCluster}), with Tessera's JVM flags
 * in the TaskManagers as {@code env.java.opts.all} would give them. Beam's FlinkRunner submits each stage's
 * pipeline through the JobManager's REST address, as {@code tessera run --runner=FlinkRunner
 * --flinkMaster=host:port} does, except that the job's classes are already on the cluster's class path (where
 * DJL's belong on a real cluster, in its {@code lib/}), so each job uploads an empty jar instead of ~300; the
 * upload of a job's jars is what {@link FlinkWorkerFlagsIT} goes through.
 */
class FlinkClusterIT extends BeamStagesContract {
  @TempDir static Path clusterDir;
  private static FlinkCluster cluster;
  private static Path emptyJar;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = FlinkCluster.start(clusterDir, 2, workerFlags(), jobClassPath());
    emptyJar = clusterDir.resolve("no-classes.jar");
    new JarOutputStream(Files.newOutputStream(emptyJar), new Manifest()).close();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected List<String> pipelineArgs() {
    // The job's classes are on the cluster's class path: each job uploads an empty jar instead of this JVM's
    // ~300 jars, and the TaskManagers load Beam, Arrow and Tessera once instead of once per job (a stage is a job).
    return List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.master(), "--parallelism=4",
        "--filesToStage=" + emptyJar);
  }

  /**
   * This JVM's class path (jars and class folders, as Beam would stage them) without what Flink's own {@code lib/}
   * holds (Flink, logging) and the test framework: what a cluster would get in {@code lib/} to run Tessera's jobs.
   */
  static List<String> jobClassPath() {
    PipelineOptions options = PipelineOptionsFactory.create();
    List<String> all = PipelineResources.detectClassPathResourcesToStage(FlinkClusterIT.class.getClassLoader(),
        options);
    return all.stream()
        .filter(p -> {
          String name = Path.of(p).getFileName().toString();
          return !(name.startsWith("flink-") || name.startsWith("log4j-") || name.startsWith("slf4j-")
              || name.startsWith("junit-") || name.startsWith("opentest4j") || name.startsWith("surefire")
              || name.startsWith("apiguardian"));
        })
        .toList();
  }

  /** Tessera's JVM flags ({@code tessera.jvm.flags} of pom.xml, passed in by the build). */
  static List<String> workerFlags() {
    String flags = System.getProperty("tessera.jvm.flags");
    if (flags == null || flags.isBlank()) {
      throw new IllegalStateException("the system property tessera.jvm.flags is not set: run this test through "
          + "Maven (runners/flink/pom.xml passes it), or pass -Dtessera.jvm.flags='<the flags of pom.xml>'");
    }
    return Arrays.asList(flags.trim().split("\\s+"));
  }
}
