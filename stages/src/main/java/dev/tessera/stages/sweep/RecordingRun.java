package dev.tessera.stages.sweep;

import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trial's child run as seen from a Beam worker, which has no access to the tracker: it keeps what the wrapped
 * stages log (params, tags, every metric point with its step and time, artifact copies) so that the sweep's driver
 * can {@link Recording#replayInto replay} it into the real child run once the worker's job has ended.
 */
final class RecordingRun implements TrackedRun {
  private final String id;
  private final Map<String, String> params = new LinkedHashMap<>();
  private final Map<String, String> tags = new LinkedHashMap<>();
  private final List<Point> metrics = new ArrayList<>();
  private final List<Copy> artifacts = new ArrayList<>();

  /** A recording for the child run {@code id}, which the driver opened. */
  RecordingRun(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public synchronized void logParams(Map<String, String> values) {
    params.putAll(values);
  }

  @Override
  public synchronized void setTags(Map<String, String> values) {
    tags.putAll(values);
  }

  @Override
  public synchronized void logMetric(String key, double value, long step, long timestampMillis) {
    metrics.add(new Point(key, value, step, timestampMillis));
  }

  /** Keeps the source's path: the trial folder is on storage the driver reads too (see {@link BeamTrialSlots}). */
  @Override
  public synchronized void logArtifact(Path source, String artifactPath) {
    artifacts.add(new Copy(source.toAbsolutePath().toString(), artifactPath));
  }

  @Override
  public TrackedRun startChild(String runName, Map<String, String> childTags) {
    throw new UnsupportedOperationException("a sweep trial on a Beam worker cannot start runs of its own (asked for '"
        + runName + "'); nest sweeps as separate stages instead");
  }

  /** The driver ends the child run; a worker never does. */
  @Override
  public void end(RunStatus status) {
    throw new UnsupportedOperationException("a sweep trial on a Beam worker does not end its run (asked for "
        + status + "); the sweep's driver ends it after replaying the recording");
  }

  /** What was logged so far. */
  synchronized Recording recording() {
    return new Recording(new LinkedHashMap<>(params), new LinkedHashMap<>(tags), List.copyOf(metrics),
        List.copyOf(artifacts));
  }

  /** One metric point. */
  record Point(String key, double value, long step, long timestamp) {}

  /** One artifact copy: a file or folder the worker wrote, and where it goes in the run's artifacts. */
  record Copy(String source, String artifactPath) {}

  /**
   * Everything a trial logged on a worker, in the order it was logged.
   *
   * @param params params, in the order first logged
   * @param tags tags, the last value of each
   * @param metrics every metric point (the history, not only the last value)
   * @param artifacts artifact copies
   */
  record Recording(Map<String, String> params, Map<String, String> tags, List<Point> metrics,
      List<Copy> artifacts) {

    /**
     * Logs everything into {@code run}: params and tags, each metric point with its original step and time, and
     * the artifact copies. A copy whose source the driver cannot see (a worker's folder that is not on storage
     * shared with the driver) is named in the tag {@code tessera.sweep.missing_artifacts} instead.
     */
    void replayInto(TrackedRun run) {
      if (!params.isEmpty()) {
        run.logParams(params);
      }
      if (!tags.isEmpty()) {
        run.setTags(tags);
      }
      for (Point point : metrics) {
        run.logMetric(point.key(), point.value(), point.step(), point.timestamp());
      }
      List<String> missing = new ArrayList<>();
      for (Copy copy : artifacts) {
        Path source = Path.of(copy.source());
        if (java.nio.file.Files.exists(source)) {
          run.logArtifact(source, copy.artifactPath());
        } else {
          missing.add(copy.artifactPath() + " (" + copy.source() + ")");
        }
      }
      if (!missing.isEmpty()) {
        run.setTags(Map.of("tessera.sweep.missing_artifacts", "the worker wrote these where this machine cannot "
            + "read them: " + String.join(", ", missing)));
      }
    }
  }
}
