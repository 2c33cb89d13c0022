package dev.tessera.runners.flink;

import dev.tessera.stages.testing.SweepExecutorContract;
import java.util.List;

/** A sweep's trials trained inside the task slots of an embedded Flink cluster (two slots, two trials at once). */
class FlinkSweepExecutorIT extends SweepExecutorContract {
  @Override
  protected List<String> pipelineArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
