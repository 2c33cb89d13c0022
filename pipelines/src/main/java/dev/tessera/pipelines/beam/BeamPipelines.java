package dev.tessera.pipelines.beam;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;

/** Pipelines for stages, from the run's pipeline arguments ({@code --runner=...}). */
public final class BeamPipelines {
  static {
    // Beam's AWS module registers only AwsOptions; its S3 settings (--s3ClientFactoryClass, ...) must be known
    // before they can be parsed from arguments.
    PipelineOptionsFactory.register(S3Options.class);
  }

  private BeamPipelines() {}

  /**
   * Options for a real run: the given arguments, with the DirectRunner's per-element immutability and
   * encodability checks off unless the arguments set them (they cost 2-3x; unit tests keep them on through
   * {@code TestPipeline}), and S3 buckets addressed by path when {@code --endpoint} points at an S3-compatible
   * server ({@link PathStyleS3ClientBuilderFactory}).
   */
  public static PipelineOptions options(List<String> args) {
    List<String> all = new ArrayList<>(args);
    if (all.stream().noneMatch(a -> a.startsWith("--s3ClientFactoryClass"))) {
      all.add("--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName());
    }
    if (all.stream().noneMatch(a -> a.startsWith("--enforceImmutability"))) {
      all.add("--enforceImmutability=false");
    }
    if (all.stream().noneMatch(a -> a.startsWith("--enforceEncodability"))) {
      all.add("--enforceEncodability=false");
    }
    return PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).withValidation().create();
  }

  /**
   * A new pipeline with {@link #options(List)}. For a remote Flink session cluster ({@code --flinkMaster=host:port})
   * without a {@code --parallelism} argument, the job's parallelism is the cluster's free task slots, asked from the
   * JobManager's REST API now, for this job (Flink's own default would run it in one slot).
   */
  public static Pipeline create(List<String> args) {
    return Pipeline.create(options(FlinkClusterParallelism.apply(args)));
  }

  /**
   * Runs a pipeline to completion and fails unless it finished successfully. A failure that comes from a worker
   * JVM without Tessera's JVM flags says which flags the workers need and where a cluster sets them.
   */
  public static void runToCompletion(Pipeline pipeline, String what) {
    PipelineResult.State state;
    try {
      state = pipeline.run().waitUntilFinish();
    } catch (RuntimeException failure) {
      throw explained(failure, what);
    }
    checkDone(state, what);
  }

  /** {@code failure} with what to do added where a hint applies (worker flags, a lost worker). */
  private static RuntimeException explained(RuntimeException failure, String what) {
    String hint = workerFlagsHint(failure);
    if (hint == null) {
      hint = lostWorkerHint(failure);
    }
    return hint == null ? failure : new IllegalStateException(what + ": " + hint, failure);
  }

  private static void checkDone(PipelineResult.State state, String what) {
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException(what + ": the Beam pipeline ended in state " + state + ", not DONE");
    }
  }

  /**
   * As {@link #runToCompletion(Pipeline, String)}, but the job can be cancelled while it runs: every second
   * {@code cancelled} is asked, and when it says so (or this thread is interrupted) the job is stopped with
   * {@link PipelineResult#cancel()} and {@link InterruptedException} thrown. On a runner whose {@code run()}
   * returns only once a batch job has ended (Flink in attached mode, its default) there is nothing to cancel: the
   * job runs to its end, and the cancellation is seen then.
   *
   * <pre>{@code
   * BeamPipelines.runToCompletion(pipeline, "sweep trials [0, 1]", () -> cancelled);
   * }</pre>
   */
  public static void runToCompletion(Pipeline pipeline, String what, BooleanSupplier cancelled)
      throws InterruptedException {
    PipelineResult result = null;
    PipelineResult.State state = null;
    try {
      result = pipeline.run();
      while (state == null || !state.isTerminal()) {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
          throw cancel(result, what, null);
        }
        state = result.waitUntilFinish(Duration.standardSeconds(1));
      }
    } catch (RuntimeException failure) {
      if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
        throw cancel(result, what, failure); // the wait was interrupted, or the job failed because it was stopped
      }
      throw explained(failure, what);
    }
    checkDone(state, what);
  }

  private static InterruptedException cancel(PipelineResult result, String what, RuntimeException failure) {
    String outcome = "the Beam job was cancelled";
    if (result != null) {
      try {
        result.cancel();
      } catch (IOException | RuntimeException e) {
        outcome = "cancelling the Beam job failed (" + e + "); it may still run";
      }
    }
    InterruptedException interrupted = new InterruptedException(what + ": cancelled; " + outcome);
    if (failure != null) {
      interrupted.initCause(failure);
    }
    return interrupted;
  }

  /**
   * What to do when {@code failure} says a worker process of the cluster went away while the job ran (a Flink
   * TaskManager killed or unreachable, a Spark executor lost), or null for any other failure. Beam's batch jobs on
   * Flink are not restarted unless the cluster configures a restart strategy, so the stage fails; the stages that
   * finished before it are kept, and {@code tessera resume} runs the rest on the workers that are left.
   */
  static String lostWorkerHint(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 64; t = t.getCause(), depth++) {
      String text = String.valueOf(t.getMessage());
      if (text.contains("is no longer reachable") || text.contains("Heartbeat of TaskManager")
          || text.contains("ExecutorLostFailure") || text.contains("Connection unexpectedly closed by remote task")) {
        return "a worker of the cluster was lost while the job ran (" + text + "). Flink restarts a Beam batch job "
            + "only with a restart strategy (restart-strategy.type in the cluster's config.yaml, or "
            + "--numberOfExecutionRetries); the stages that finished are kept: run tessera resume <run-id> once "
            + "the cluster has its task slots again";
      }
    }
    return null;
  }

  /**
   * What to do when {@code failure} comes from a worker JVM started without Tessera's JVM flags (Arrow's
   * {@code MemoryUtil} cannot start, or the module system refuses a reflective access), or null for any other
   * failure. On a cluster the workers are started by Flink or Spark, not by {@code ./tessera}, so only the
   * cluster's configuration can give them the flags.
   */
  static String workerFlagsHint(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 64; t = t.getCause(), depth++) {
      // Flink hands remote failures over as SerializedThrowable, whose toString() names the original class.
      String text = t.toString();
      boolean inMemoryUtil = text.contains("MemoryUtil") || Arrays.stream(t.getStackTrace())
          .anyMatch(frame -> frame.getClassName().equals("org.apache.arrow.memory.util.MemoryUtil"));
      // After the first failure the JVM reports only "Could not initialize class" for Arrow's allocator.
      boolean arrowUnusable = text.contains("Could not initialize class org.apache.arrow.memory.");
      if (inMemoryUtil || arrowUnusable || text.contains("InaccessibleObjectException")) {
        String flags = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules")
                || a.startsWith("-Darrow.") || a.startsWith("-Dai.djl."))
            .collect(Collectors.joining(" "));
        return "a Beam worker JVM runs without Tessera's JVM flags (Arrow needs "
            + "--add-opens=java.base/java.nio=ALL-UNNAMED). Workers on a cluster are started by the cluster, not by "
            + "./tessera: give every worker the flags this JVM runs with"
            + (flags.isEmpty() ? " (tessera.jvm.flags in pom.xml)" : ", " + flags) + ". On Flink set "
            + "env.java.opts.all in the cluster's config.yaml and restart its TaskManagers; on Spark set "
            + "spark.executor.extraJavaOptions (for tessera run: TESSERA_JAVA_OPTS=\"-Dspark.executor."
            + "extraJavaOptions='<the flags>'\"). See 'Running on a cluster' in README.md";
      }
    }
    return null;
  }
}
