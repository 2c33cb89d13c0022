package dev.tessera.runners.flink;

import dev.tessera.stages.testing.BeamStagesContract;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Beam stage on a real Flink session cluster, byte-identical to the DirectRunner: a JobManager and two
 * TaskManagers of two slots, each its own JVM on 127.0.0.1 (see {@link FlinkCluster}), with Tessera's JVM flags
 * in the TaskManagers as {@code env.java.opts.all} would give them. Beam's FlinkRunner submits each stage's
 * pipeline through the JobManager's REST address and uploads the job's jars, as {@code tessera run
 * --runner=FlinkRunner --flinkMaster=host:port} does.
 */
class FlinkClusterIT extends BeamStagesContract {
  @TempDir static Path clusterDir;
  private static FlinkCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = FlinkCluster.start(clusterDir, 2, workerFlags());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected List<String> pipelineArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.master(), "--parallelism=4");
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
