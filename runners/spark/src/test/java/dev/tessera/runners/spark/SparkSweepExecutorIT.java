package dev.tessera.runners.spark;

import dev.tessera.stages.testing.SweepExecutorContract;
import java.util.List;

/** A sweep's trials trained inside the executor threads of Spark in local mode (two threads, two trials at once). */
class SparkSweepExecutorIT extends SweepExecutorContract {
  @Override
  protected List<String> pipelineArgs() {
    return List.of("--runner=SparkRunner", "--sparkMaster=local[2]");
  }
}
