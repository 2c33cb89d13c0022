package dev.tessera.pipelines.exec;

import java.util.List;
import java.util.Map;

/**
 * How to execute a run.
 *
 * @param parallelism how many independent stages may run at once (>= 1)
 * @param noCache run every stage even when a verified cached artifact exists
 * @param retry retry policy for retryable failures
 * @param pipelineArgs Beam pipeline arguments handed to stages, such as {@code --runner=DirectRunner}
 * @param runTags extra tags for the tracked run (system tags such as the git commit)
 * @param experimentFile the experiment file the experiment was compiled from, kept in the run for {@code resume};
 *     null for a registered experiment
 */
public record ExecutorOptions(int parallelism, boolean noCache, RetryPolicy retry, List<String> pipelineArgs,
    Map<String, String> runTags, String experimentFile) {

  public ExecutorOptions {
    if (parallelism < 1) {
      throw new IllegalArgumentException("--parallelism must be >= 1, but was " + parallelism);
    }
    pipelineArgs = List.copyOf(pipelineArgs);
    runTags = Map.copyOf(runTags);
  }

  /** Defaults: parallelism 2, cache on, {@link RetryPolicy#DEFAULT}, DirectRunner. */
  public static ExecutorOptions defaults() {
    return new ExecutorOptions(2, false, RetryPolicy.DEFAULT, List.of(), Map.of(), null);
  }

  public ExecutorOptions withParallelism(int value) {
    return new ExecutorOptions(value, noCache, retry, pipelineArgs, runTags, experimentFile);
  }

  public ExecutorOptions withNoCache(boolean value) {
    return new ExecutorOptions(parallelism, value, retry, pipelineArgs, runTags, experimentFile);
  }

  public ExecutorOptions withRetry(RetryPolicy value) {
    return new ExecutorOptions(parallelism, noCache, value, pipelineArgs, runTags, experimentFile);
  }

  public ExecutorOptions withPipelineArgs(List<String> value) {
    return new ExecutorOptions(parallelism, noCache, retry, value, runTags, experimentFile);
  }

  public ExecutorOptions withExperimentFile(String value) {
    return new ExecutorOptions(parallelism, noCache, retry, pipelineArgs, runTags, value);
  }

  public ExecutorOptions withRunTags(Map<String, String> value) {
    return new ExecutorOptions(parallelism, noCache, retry, pipelineArgs, value, experimentFile);
  }
}
