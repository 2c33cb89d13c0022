package dev.tessera.runners.flink;

import dev.tessera.stages.testing.BeamStagesContract;
import java.util.List;

/**
 * Every Beam stage on Beam's FlinkRunner with an embedded Flink cluster of two slots (Beam's default is one, which
 * would hide ordering differences between parallel workers), byte-identical to the DirectRunner.
 */
class FlinkRunnerContractIT extends BeamStagesContract {
  @Override
  protected List<String> pipelineArgs() {
    return List.of("--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
  }
}
