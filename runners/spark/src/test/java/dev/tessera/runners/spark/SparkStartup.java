package dev.tessera.runners.spark;

import dev.tessera.stages.testing.RunnerStartup;

/**
 * Prints how long the SparkRunner in local mode takes to run a five-element pipeline, cold and warm. A benchmark
 * program, not a test; the command is in {@link RunnerStartup}.
 */
public final class SparkStartup {
  private SparkStartup() {}

  public static void main(String[] args) {
    RunnerStartup.measure(args.length > 0 ? args : new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]"});
  }
}
