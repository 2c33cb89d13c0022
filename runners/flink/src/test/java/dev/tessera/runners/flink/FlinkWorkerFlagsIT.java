package dev.tessera.runners.flink;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.testing.SyntheticDigits;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flink cluster whose TaskManagers were started without Tessera's JVM flags (no {@code env.java.opts.all}): the
 * Beam stage fails, and its error says which flags the workers need and that Flink takes them from
 * {@code env.java.opts.all}.
 */
class FlinkWorkerFlagsIT {
  @TempDir Path dir;

  @Test
  void aStageOnTaskManagersWithoutTheFlagsNamesEnvJavaOptsAll() {
    try (FlinkCluster cluster = FlinkCluster.start(dir.resolve("cluster"), 1, List.of())) {
      Experiment experiment = Experiment.named("worker-flags")
          .stage("source", SyntheticDigits.of(2, 10))
          .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("source"))
          .build();
      Engine engine = new Engine(dir.resolve("home"));
      engine.options = engine.options.withPipelineArgs(
          List.of("--runner=FlinkRunner", "--flinkMaster=" + cluster.master(), "--parallelism=2"));

      RunResult result = engine.run(experiment);

      assertEquals(RunOutcome.FAILED, result.status());
      StageRecord preprocess = result.run().stages.get("preprocess");
      assertEquals(StageStatus.FAILED, preprocess.status, preprocess.error);
      assertTrue(preprocess.error.contains("env.java.opts.all"), preprocess.error);
      assertTrue(preprocess.error.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), preprocess.error);
    }
  }
}
