package dev.tessera.stages.testing;

import java.util.List;

/**
 * The runner contract on the DirectRunner as a real run configures it (per-element checks off): the reference run
 * has them on, so this also shows they do not change the bytes.
 */
class DirectRunnerContractIT extends BeamStagesContract {
  @Override
  protected List<String> pipelineArgs() {
    return List.of("--runner=DirectRunner");
  }
}
