package dev.tessera.pipelines.testing;

import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of {@link TextStage}, a stage made for testing the engine.
 *
 * @param text what the stage writes
 * @param markerDir where it records each execution ({@code <stage>.runs}) and start ({@code <stage>.started})
 * @param failTimes how many first attempts fail
 * @param retryable whether those failures are retryable
 * @param waitForFile if not empty, the stage waits (checking for cancellation) until this file exists
 */
public record TextSpec(String text, String markerDir, int failTimes, boolean retryable, String waitForFile)
    implements StageSpec {
  public TextSpec {
    if (failTimes < 0) {
      throw new IllegalArgumentException("failTimes must be >= 0, but was " + failTimes);
    }
  }

  public static TextSpec of(String text, String markerDir) {
    return new TextSpec(text, markerDir, 0, false, "");
  }

  public TextSpec withText(String value) {
    return new TextSpec(value, markerDir, failTimes, retryable, waitForFile);
  }

  public TextSpec failing(int times, boolean isRetryable) {
    return new TextSpec(text, markerDir, times, isRetryable, waitForFile);
  }

  public TextSpec waitingFor(String file) {
    return new TextSpec(text, markerDir, failTimes, retryable, file);
  }
}
