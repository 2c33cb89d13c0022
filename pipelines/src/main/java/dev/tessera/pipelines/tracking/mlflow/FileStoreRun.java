package dev.tessera.pipelines.tracking.mlflow;

import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.mlflow.internal.AtomicFiles;
import dev.tessera.pipelines.tracking.mlflow.internal.MetaYaml;
import dev.tessera.pipelines.tracking.mlflow.internal.MlflowKeys;
import dev.tessera.pipelines.tracking.mlflow.internal.PythonFloats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A run in MLflow's file store. All methods are thread-safe: writes to one run are serialized on the run.
 *
 * <ul>
 *   <li>Params and tags are files named by their key ({@code train/lr} is {@code params/train/lr}), holding the
 *       value without a trailing newline; tags are replaced atomically.
 *   <li>Metrics append {@code "<timestamp_ms> <value> <step>\n"} with the value as Python's {@code repr(float)}.
 *   <li>Artifacts are copied under {@code artifacts/}.
 * </ul>
 */
public final class FileStoreRun implements TrackedRun {
  static final String ARTIFACTS = "artifacts";
  static final String METRICS = "metrics";
  static final String PARAMS = "params";
  static final String TAGS = "tags";

  private final FileStoreTracker tracker;
  private final Path runDir;
  private final String experimentId;
  private final String runId;
  private final Clock clock;
  /** The run's meta.yaml as last written; guarded by {@code this}. */
  private final Map<String, Object> meta;

  FileStoreRun(FileStoreTracker tracker, Path runDir, String experimentId, String runId, Map<String, Object> meta,
      Clock clock) {
    this.tracker = tracker;
    this.runDir = runDir;
    this.experimentId = experimentId;
    this.runId = runId;
    this.meta = new HashMap<>(meta);
    this.clock = clock;
  }

  @Override
  public String id() {
    return runId;
  }

  /**
   * Starts a child run in this run's experiment, tagged {@code mlflow.parentRunId} = this run's id.
   *
   * <pre>{@code
   * FileStoreRun trial = sweep.startChild("trial-1", Map.of("tessera.trial", "1"));
   * }</pre>
   */
  @Override
  public FileStoreRun startChild(String runName, Map<String, String> tags) {
    Map<String, String> childTags = new java.util.LinkedHashMap<>(tags == null ? Map.of() : tags);
    childTags.put(SystemTags.PARENT_RUN_ID, runId);
    return tracker.startRunIn(experimentId, runName, childTags);
  }

  /** Reopens a child run of this run's experiment for resuming (see {@link FileStoreTracker#reopenRun}). */
  @Override
  public Optional<TrackedRun> reopenChild(String childRunId) {
    return tracker.reopenRunIn(experimentId, childRunId).map(run -> run);
  }

  /** The MLflow experiment id this run belongs to. */
  public String experimentId() {
    return experimentId;
  }

  /** The run's directory, {@code <root>/<experiment id>/<run id>}. */
  public Path directory() {
    return runDir;
  }

  /** The run's artifact root as MLflow records it, {@code file:///.../artifacts}. */
  public synchronized String artifactUri() {
    return String.valueOf(meta.get("artifact_uri"));
  }

  /**
   * Logs params; all are checked before any is written. A key logged before must keep its value.
   *
   * @throws IllegalArgumentException for an invalid key or value, or a changed value, naming the key
   */
  @Override
  public synchronized void logParams(Map<String, String> params) {
    Map<String, String> toWrite = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      MlflowKeys.checkKey("param", key);
      MlflowKeys.checkParamValue(key, value);
      Path file = runDir.resolve(PARAMS).resolve(key);
      if (Files.exists(file)) {
        String current = read(file, "param '" + key + "'");
        if (!current.equals(value)) {
          throw new IllegalArgumentException("param '" + key + "' of run " + runId + " was already logged as '"
              + current + "' and cannot change to '" + value + "' (MLflow params are immutable; log the new "
              + "value under another key or start a new run).");
        }
      } else {
        toWrite.put(key, value);
      }
    }
    toWrite.forEach((key, value) -> write(runDir.resolve(PARAMS).resolve(key), value, "param '" + key + "'"));
  }

  /**
   * Sets tags (last write wins). Setting {@code mlflow.runName} also renames the run, as MLflow does.
   *
   * @throws IllegalArgumentException for an invalid key or value, naming the key
   */
  @Override
  public synchronized void setTags(Map<String, String> tags) {
    Map<String, String> sorted = new TreeMap<>(tags);
    sorted.forEach((key, value) -> {
      MlflowKeys.checkKey("tag", key);
      MlflowKeys.checkTagValue(key, value);
    });
    sorted.forEach((key, value) -> write(runDir.resolve(TAGS).resolve(key), value, "tag '" + key + "'"));
    String name = sorted.get(SystemTags.RUN_NAME);
    if (name != null && !name.equals(meta.get("run_name"))) {
      meta.put("run_name", name);
      writeMeta();
    }
  }

  /**
   * Appends one point to the metric's history.
   *
   * @throws IllegalArgumentException for an invalid key, naming it
   */
  @Override
  public void logMetric(String key, double value, long step, long timestampMillis) {
    MlflowKeys.checkKey("metric", key);
    String line = timestampMillis + " " + PythonFloats.repr(value) + " " + step + "\n";
    Path file = runDir.resolve(METRICS).resolve(key);
    synchronized (this) {
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("could not append metric '" + key + "' to " + file + ": " + e, e);
      }
    }
  }

  /**
   * Copies a file or a directory tree into the run's artifacts: a file becomes {@code artifacts/<artifactPath>};
   * a directory's contents go under {@code artifacts/<artifactPath>/}. An empty {@code artifactPath} means the
   * file's own name, or the artifact root for a directory. Existing files are replaced atomically.
   *
   * <pre>{@code
   * run.logArtifact(specJson, "train/spec.json");
   * run.logArtifact(modelDir, "train/model"); // a directory holding an MLmodel file shows as a model
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code artifactPath} is absolute or leaves the artifact root
   * @throws UncheckedIOException if {@code source} is missing or a copy fails
   */
  @Override
  public void logArtifact(Path source, String artifactPath) {
    Path artifacts = runDir.resolve(ARTIFACTS);
    Path target = resolveArtifactPath(artifacts, source, artifactPath == null ? "" : artifactPath);
    synchronized (this) {
      try {
        if (Files.isDirectory(source)) {
          List<Path> entries;
          try (Stream<Path> walk = Files.walk(source)) {
            entries = walk.sorted().toList();
          }
          for (Path entry : entries) {
            Path dest = target.resolve(source.relativize(entry).toString());
            if (Files.isDirectory(entry)) {
              Files.createDirectories(dest);
            } else {
              AtomicFiles.copy(entry, dest);
            }
          }
        } else if (Files.isRegularFile(source)) {
          AtomicFiles.copy(source, target);
        } else {
          throw new IOException("no such file or directory: " + source);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not log artifact " + source + " as '" + artifactPath + "' of run "
            + runId + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Ends the run: status and end time in {@code meta.yaml}.
   *
   * @throws IllegalArgumentException if {@code status} is not terminal (FINISHED, FAILED, KILLED)
   */
  @Override
  public synchronized void end(RunStatus status) {
    if (status != RunStatus.FINISHED && status != RunStatus.FAILED && status != RunStatus.KILLED) {
      throw new IllegalArgumentException("a run ends with FINISHED, FAILED or KILLED, but got " + status + ".");
    }
    meta.put("status", (long) status.mlflowCode());
    meta.put("end_time", clock.millis());
    writeMeta();
  }

  /** Back to RUNNING with no end time, for a resumed run. */
  synchronized void markRunning() {
    meta.put("status", (long) RunStatus.RUNNING.mlflowCode());
    meta.put("end_time", null);
    writeMeta();
  }

  private static Path resolveArtifactPath(Path artifacts, Path source, String artifactPath) {
    String path = artifactPath.replace('\\', '/');
    if (path.isEmpty()) {
      return Files.isDirectory(source) ? artifacts : artifacts.resolve(source.getFileName().toString());
    }
    if (path.startsWith("/") || Path.of(path).isAbsolute()) {
      throw new IllegalArgumentException("artifact path '" + artifactPath
          + "' must be relative to the run's artifact root (like 'train/spec.json').");
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("artifact path '" + artifactPath
            + "' must stay inside the run's artifact root, but contains '..'.");
      }
    }
    Path target = artifacts.resolve(path).normalize();
    if (!target.startsWith(artifacts)) {
      throw new IllegalArgumentException("artifact path '" + artifactPath
          + "' must stay inside the run's artifact root.");
    }
    return target;
  }

  private void writeMeta() {
    try {
      MetaYaml.write(runDir.resolve(FileStoreTracker.META), meta);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + runDir.resolve(FileStoreTracker.META) + ": " + e, e);
    }
  }

  private static String read(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + what + " from " + file + ": " + e, e);
    }
  }

  private static void write(Path file, String value, String what) {
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.writeString(file, value);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + what + " to " + file + ": " + e, e);
    }
  }
}
