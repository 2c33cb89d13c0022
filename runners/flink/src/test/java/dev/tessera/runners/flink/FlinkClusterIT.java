package dev.tessera.runners.flink;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.testing.BeamStagesContract;
import dev.tessera.stages.testing.SyntheticDigits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.construction.resources.PipelineResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

  @Test
  void aJobWithoutParallelismGetsEveryFreeTaskSlotOfTheCluster() {
    int slots = new FlinkRest(cluster.master()).awaitAllSlotsFree(Duration.ofMinutes(1));

    List<Integer> parallelisms = preprocessJobParallelisms(List.of("--runner=FlinkRunner",
        "--flinkMaster=" + cluster.master(), "--filesToStage=" + emptyJar));

    assertEquals(4, slots, "two TaskManagers of two slots");
    assertEquals(Set.of(slots), Set.copyOf(parallelisms), "every vertex of the job: " + parallelisms);
  }

  @Test
  void aParallelismTheArgumentsSetWinsOverTheFreeSlots() {
    new FlinkRest(cluster.master()).awaitAllSlotsFree(Duration.ofMinutes(1));

    List<Integer> parallelisms = preprocessJobParallelisms(List.of("--runner=FlinkRunner",
        "--flinkMaster=" + cluster.master(), "--parallelism=1", "--filesToStage=" + emptyJar));

    assertEquals(Set.of(1), Set.copyOf(parallelisms), "every vertex of the job: " + parallelisms);
  }

  /** Runs a preprocess stage (one Flink job) with {@code args}; returns its vertices' parallelism, from REST. */
  private List<Integer> preprocessJobParallelisms(List<String> args) {
    FlinkRest rest = new FlinkRest(cluster.master());
    Set<String> before = rest.jobIds();
    Engine engine = new Engine(dir.resolve("parallelism-" + before.size()));
    engine.options = engine.options.withPipelineArgs(args);
    RunResult result = engine.run(Experiment.named("flink-parallelism")
        .stage("source", SyntheticDigits.of(4, 10))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25).resizedTo(12, 12), after("source"))
        .build());
    assertEquals(RunOutcome.SUCCEEDED, result.status(), args + ": " + result.run().stages);
    Set<String> jobs = new HashSet<>(rest.jobIds());
    jobs.removeAll(before);
    assertEquals(1, jobs.size(), "one new job on the cluster: " + jobs);
    List<Integer> parallelisms = rest.vertexParallelisms(jobs.iterator().next());
    assertFalse(parallelisms.isEmpty(), "the job's vertices");
    return parallelisms;
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
