package dev.tessera.pipelines.dag;

import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Path;
import java.util.Map;

/** The one {@link StageContext.StageTracker#none()}: a tracker that records nothing. */
enum NoStageTracker implements StageContext.StageTracker {
  INSTANCE;

  @Override
  public void logMetric(String key, double value, long step) {}

  @Override
  public void logArtifact(Path source, String relativePath) {}

  @Override
  public void logParams(Map<String, String> params) {}

  @Override
  public void setTags(Map<String, String> tags) {}

  @Override
  public TrackedRun startTrial(String name, Map<String, String> params) {
    throw new UnsupportedOperationException("trial '" + name + "' cannot start: this stage runs outside the "
        + "executor with a tracker that records nothing; run it through an experiment to sweep");
  }
}
