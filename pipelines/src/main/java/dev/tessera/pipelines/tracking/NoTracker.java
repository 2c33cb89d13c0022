package dev.tessera.pipelines.tracking;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Records nothing. */
enum NoTracker implements Tracker, TrackedRun {
  INSTANCE;

  @Override
  public TrackedRun startRun(String experimentName, String runName, Map<String, String> tags) {
    return this;
  }

  @Override
  public Optional<TrackedRun> reopen(String experimentName, String trackedRunId) {
    return Optional.of(this);
  }

  @Override
  public String location() {
    return "(not tracked)";
  }

  @Override
  public String id() {
    return "none";
  }

  @Override
  public void logParams(Map<String, String> params) {}

  @Override
  public void setTags(Map<String, String> tags) {}

  @Override
  public void logMetric(String key, double value, long step, long timestampMillis) {}

  @Override
  public void logArtifact(Path source, String artifactPath) {}

  @Override
  public TrackedRun startChild(String runName, Map<String, String> tags) {
    return this;
  }

  @Override
  public void end(RunStatus status) {}
}
