package dev.tessera.runners.flink;

import dev.tessera.stages.testing.RunnerStartup;

/**
 * Prints how long the FlinkRunner with an embedded cluster takes to run a five-element pipeline, cold and warm.
 * A benchmark program, not a test; the command is in {@link RunnerStartup}.
 */
public final class FlinkStartup {
  private FlinkStartup() {}

  public static void main(String[] args) {
    RunnerStartup.measure(args.length > 0 ? args : new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]"});
  }
}
