package dev.tessera.runners.flink;

import dev.tessera.stages.testing.BeamStagesContract;
import java.util.List;

/** Every Beam stage on Beam's FlinkRunner with an embedded Flink cluster, byte-identical to the DirectRunner. */
class FlinkRunnerContractIT extends BeamStagesContract {
  @Override
  protected List<String> pipelineArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]");
  }
}
