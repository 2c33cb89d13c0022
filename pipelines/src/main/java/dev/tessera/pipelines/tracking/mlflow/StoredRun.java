package dev.tessera.pipelines.tracking.mlflow;

import dev.tessera.pipelines.tracking.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run read back from MLflow's file store, complete: params, tags, every metric point in file order, and the
 * artifact directory.
 */
public record StoredRun(
    String experimentName,
    String experimentId,
    String runId,
    String runName,
    RunStatus status,
    long startTimeMillis,
    Long endTimeMillis,
    Map<String, String> params,
    Map<String, String> tags,
    Map<String, List<MetricPoint>> metrics,
    Path artifactsDirectory) {

  /** One point of a metric's history. */
  public record MetricPoint(long timestampMillis, double value, long step) {}
}
