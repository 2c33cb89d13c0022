package dev.tessera.runners.spark;

import dev.tessera.stages.testing.BeamStagesContract;
import java.util.List;

/** Every Beam stage on Beam's SparkRunner in local mode (two threads), byte-identical to the DirectRunner. */
class SparkRunnerContractIT extends BeamStagesContract {
  @Override
  protected List<String> pipelineArgs() {
    return List.of("--runner=SparkRunner", "--sparkMaster=local[2]");
  }
}
