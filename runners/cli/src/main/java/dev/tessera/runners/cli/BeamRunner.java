package dev.tessera.runners.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Beam runners data stages can run on, and what each needs on the class path.
 *
 * <p>The CLI's own class path holds only the DirectRunner. Flink and Spark live in their own modules
 * ({@code runners/flink}, {@code runners/spark}), whose jars the {@code ./tessera} launcher adds to the class path
 * of the one JVM it starts, and only for the runner chosen: Flink's and Spark's jars clash with each other, and
 * every options interface on the class path slows Beam's start-up (docs/BUILD.md).
 */
enum BeamRunner {
  DirectRunner(null, "org.apache.beam.runners.direct.DirectRunner"),
  FlinkRunner("flink", "org.apache.beam.runners.flink.FlinkRunner"),
  SparkRunner("spark", "org.apache.beam.runners.spark.SparkRunner");

  /** {@code [local]} (embedded), {@code [auto]}, or a JobManager's {@code host:port}. */
  private static final Pattern FLINK_MASTER = Pattern.compile("\\[(local|auto)]|[^\\s:/\\[\\]]+:\\d{1,5}");
  /** {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}, {@code yarn}, or a cluster URL. */
  private static final Pattern SPARK_MASTER =
      Pattern.compile("local(\\[(\\d+|\\*)(,\\d+)?])?|yarn|(spark|k8s|mesos)://\\S+");

  private final String module;
  private final String runnerClass;

  BeamRunner(String module, String runnerClass) {
    this.module = module;
    this.runnerClass = runnerClass;
  }

  /**
   * The pipeline arguments for this runner and the master options given on the command line ({@code null} when
   * not given): Flink defaults to the embedded {@code [local]} cluster with one slot per core, Spark to
   * {@code local[*]}.
   *
   * @throws UsageException for a master option of another runner or a malformed address
   */
  List<String> pipelineArgs(String flinkMaster, String sparkMaster) {
    return pipelineArgs(flinkMaster, sparkMaster, null);
  }

  /**
   * As {@link #pipelineArgs(String, String)}, with the parallelism of each stage's Flink job when
   * {@code flinkParallelism} is not null (else one per core on {@code [local]}, and on a JobManager the cluster's
   * free task slots, asked when each job is made).
   *
   * @throws UsageException also for a parallelism below 1 or without the FlinkRunner
   */
  List<String> pipelineArgs(String flinkMaster, String sparkMaster, Integer flinkParallelism) {
    if (flinkParallelism != null && this != FlinkRunner) {
      throw new UsageException("--flinkParallelism applies to --runner=FlinkRunner only, but --runner is " + this
          + ".");
    }
    if (flinkParallelism != null && flinkParallelism < 1) {
      throw new UsageException("--flinkParallelism must be >= 1 (tasks per Flink operator), but was "
          + flinkParallelism + "; leave it out for one per core on [local] and the free task slots on a cluster.");
    }
    if (flinkMaster != null && this != FlinkRunner) {
      throw new UsageException("--flinkMaster applies to --runner=FlinkRunner only, but --runner is " + this + ".");
    }
    if (sparkMaster != null && this != SparkRunner) {
      throw new UsageException("--sparkMaster applies to --runner=SparkRunner only, but --runner is " + this + ".");
    }
    List<String> args = new ArrayList<>(List.of("--runner=" + this));
    if (this == FlinkRunner) {
      String master = flinkMaster == null ? "[local]" : flinkMaster.strip();
      if (!FLINK_MASTER.matcher(master).matches()) {
        throw new UsageException("--flinkMaster must be [local] (an embedded Flink cluster), [auto], or a "
            + "JobManager address host:port such as flink-jm:8081, but was '" + flinkMaster + "'.");
      }
      args.add("--flinkMaster=" + master);
      if (flinkParallelism != null) {
        args.add("--parallelism=" + flinkParallelism);
      } else if (master.equals("[local]")) {
        // Beam gives an embedded Flink cluster one slot unless told otherwise: one per core, like Spark's local[*].
        args.add("--parallelism=" + Runtime.getRuntime().availableProcessors());
      }
    }
    if (this == SparkRunner) {
      String master = sparkMaster == null ? "local[*]" : sparkMaster.strip();
      if (!SPARK_MASTER.matcher(master).matches()) {
        throw new UsageException("--sparkMaster must be local[N] (N worker threads, or * for one per core), "
            + "yarn, or a cluster URL such as spark://host:7077, but was '" + sparkMaster + "'.");
      }
      args.add("--sparkMaster=" + master);
    }
    return List.copyOf(args);
  }

  /**
   * Fails before any stage runs when the recorded cluster address ({@code --flinkMaster=host:port},
   * {@code --sparkMaster=spark://host:port}) does not accept a connection within a few seconds, naming the address
   * and what to do. Embedded and local masters are not checked.
   */
  static void requireReachable(List<String> pipelineArgs) {
    for (String arg : pipelineArgs) {
      String address = null;
      String option = null;
      if (arg.startsWith("--flinkMaster=") && !arg.contains("[")) {
        option = "--flinkMaster";
        address = arg.substring("--flinkMaster=".length());
      } else if (arg.startsWith("--sparkMaster=spark://")) {
        option = "--sparkMaster";
        address = arg.substring("--sparkMaster=spark://".length()).split(",")[0];
      }
      if (address == null) {
        continue;
      }
      int colon = address.lastIndexOf(':');
      String host = address.substring(0, colon);
      int port = Integer.parseInt(address.substring(colon + 1).replaceAll("/.*", ""));
      try (java.net.Socket socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(host, port), 5_000);
      } catch (java.io.IOException e) {
        throw new UsageException(option + " " + host + ":" + port + " is not reachable (" + e.getMessage()
            + "). Start the " + (option.equals("--flinkMaster") ? "Flink JobManager (its REST port)"
            : "Spark master") + " there, fix the address, or run embedded with "
            + (option.equals("--flinkMaster") ? "--flinkMaster=[local]" : "--sparkMaster=local[*]")
            + ". See the README, 'Running on a cluster'.");
      }
    }
  }

  /**
   * Fails with what to do if this runner's classes are not on the class path (its module not built, or the CLI
   * started without the launcher).
   */
  void requireOnClassPath() {
    try {
      Class.forName(runnerClass, false, BeamRunner.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UsageException("--runner=" + this + " needs runners/" + module + " on the class path, but "
          + runnerClass + " is not there. Start tessera with ./tessera, which builds runners/" + module
          + " on first use and adds runners/" + module + "/target/lib/* for this runner; or build it with "
          + "'./mvnw -pl runners/" + module + " -am package -DskipTests'.");
    }
  }

  /** The runner named by {@code --runner=...} in recorded pipeline arguments, if any. */
  static Optional<BeamRunner> named(List<String> pipelineArgs) {
    for (String arg : pipelineArgs) {
      if (arg.startsWith("--runner=")) {
        String name = arg.substring("--runner=".length());
        for (BeamRunner runner : values()) {
          if (runner.name().equals(name)) {
            return Optional.of(runner);
          }
        }
        throw new UsageException("The run was recorded with " + arg + ", which is not one of "
            + List.of(values()) + ".");
      }
    }
    return Optional.empty();
  }
}
