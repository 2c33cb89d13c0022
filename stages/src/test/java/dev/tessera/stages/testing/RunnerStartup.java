package dev.tessera.stages.testing;

import dev.tessera.pipelines.beam.BeamPipelines;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Start-up cost of a Beam runner in local mode: wall seconds for a pipeline of five elements (square, sum), run
 * three times in one JVM through {@link BeamPipelines} as stages do. The first run pays for scanning the options
 * interfaces on the class path and starting the runner (Flink's MiniCluster, a SparkContext); later runs show what
 * every further stage pays. Not a test: a program that prints figures (each runner module has a main calling it).
 *
 * <pre>
 * ./mvnw -q -B -o -pl runners/flink -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java $(flags from pom.xml) -cp runners/flink/target/test-classes:$(cat runners/flink/target/test.classpath) \
 *     dev.tessera.runners.flink.FlinkStartup
 * </pre>
 * (Likewise {@code runners/spark} and {@code dev.tessera.runners.spark.SparkStartup}; pass pipeline arguments to
 * measure another runner or master, e.g. {@code --runner=DirectRunner}.)
 */
public final class RunnerStartup {
  private static final int RUNS = 3;

  private RunnerStartup() {}

  /** The DirectRunner as a baseline, or the runner the arguments name (given a class path that has it). */
  public static void main(String[] args) {
    measure(args.length > 0 ? args : new String[] {"--runner=DirectRunner"});
  }

  /** Runs the pipeline {@value #RUNS} times with these pipeline arguments and prints the seconds of each run. */
  public static void measure(String... pipelineArgs) {
    List<String> args = List.of(pipelineArgs);
    long jvmMillis = ManagementFactory.getRuntimeMXBean().getUptime();
    System.out.printf(Locale.ROOT, "%s: JVM up %.2f s before the first pipeline; %d jars on the class path%n",
        args, jvmMillis / 1e3, System.getProperty("java.class.path").split(":").length);
    for (int run = 1; run <= RUNS; run++) {
      long start = System.nanoTime();
      Pipeline pipeline = BeamPipelines.create(args);
      double options = (System.nanoTime() - start) / 1e9;
      pipeline.apply("Numbers", Create.of(1, 2, 3, 4, 5))
          .apply("Square", MapElements.into(TypeDescriptors.integers()).via((Integer x) -> x * x))
          .apply("Sum", Sum.integersGlobally());
      BeamPipelines.runToCompletion(pipeline, "start-up pipeline");
      System.out.printf(Locale.ROOT, "%s: run %d of a 5-element pipeline: %.2f s (options %.2f s)%s%n", args, run,
          (System.nanoTime() - start) / 1e9, options, run == 1 ? " cold: options scan, runner start" : "");
    }
  }
}
