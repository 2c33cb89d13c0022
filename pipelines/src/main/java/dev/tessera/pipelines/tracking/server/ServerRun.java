package dev.tessera.pipelines.tracking.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import dev.tessera.pipelines.tracking.mlflow.internal.MlflowKeys;
import dev.tessera.pipelines.tracking.server.internal.Journal;
import dev.tessera.pipelines.tracking.server.internal.Sender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run on an MLflow server that never blocks the caller on the network and never loses a logged value.
 *
 * <p>Every call appends a record to the run's spool journal, {@code <spool>/<run id>.jsonl}, and returns; a
 * background {@link Sender} sends the journal in order ({@code runs/log-batch} split to the server's limits, one
 * {@code PUT} per artifact file, the end status last) and persists the acknowledged offset after each success,
 * so that a replay after an outage or a crash sends every record once. Artifacts are copied into the spool when
 * logged (the caller may delete its files afterwards).
 *
 * <p><b>Durability (fsync policy).</b> Each record is written to the journal file before the call returns, so it
 * survives a crash of the JVM; the journal is fsynced at most every {@link ServerSettings#fsyncInterval()} (1 s by
 * default) by the sender thread, and when the run ends, so a crash of the machine loses at most that last interval.
 * The acknowledged offset is fsynced and renamed into place after every request the server takes.
 *
 * <p><b>Ending.</b> {@link #end} journals the status and waits up to {@link ServerSettings#endTimeout()} for the
 * spool to drain. If the server is still away, the spool stays and the log says so: {@code tessera mlflow flush}
 * (or {@code tessera resume} of the run) sends the rest.
 *
 * <p><b>Long values.</b> Keys and values are checked when logged, with the same rules as the file store: a param
 * value over {@value MlflowKeys#MAX_PARAM_VALUE_LENGTH} characters (or a tag value over
 * {@value MlflowKeys#MAX_TAG_VALUE_LENGTH}) is refused with an {@link IllegalArgumentException} naming the key,
 * never truncated: a truncated hyperparameter would silently describe another run. Log long text as an artifact.
 *
 * <p>Thread-safe.
 */
public final class ServerRun implements TrackedRun {
  private static final Logger LOG = LoggerFactory.getLogger(ServerRun.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServerTracker tracker;
  private final String experimentId;
  private final String runId;
  private final Journal journal;
  private final Sender sender;
  private final Map<String, String> params = new ConcurrentHashMap<>();
  private final Set<String> checkedMetricKeys = ConcurrentHashMap.newKeySet();
  private final AtomicLong artifactCopies = new AtomicLong();
  private volatile boolean ended;

  ServerRun(ServerTracker tracker, String experimentId, String runId, Journal journal, Sender sender,
      Map<String, String> knownParams) {
    this.tracker = tracker;
    this.experimentId = experimentId;
    this.runId = runId;
    this.journal = journal;
    this.sender = sender;
    this.params.putAll(knownParams);
  }

  @Override
  public String id() {
    return runId;
  }

  /** The MLflow experiment id of this run. */
  public String experimentId() {
    return experimentId;
  }

  /** The journal file of this run's spool. */
  public Path spoolFile() {
    return journal.file();
  }

  /** Records the server refused for good so far (kept in the spool's {@code .rejected.jsonl}). */
  public long rejected() {
    return sender.rejected();
  }

  /**
   * Logs params. A key logged before must keep its value.
   *
   * @throws IllegalArgumentException for an invalid key, a value over the limit or a changed value, naming the key
   */
  @Override
  public void logParams(Map<String, String> values) {
    Map<String, String> sorted = new TreeMap<>(values);
    synchronized (params) {
      sorted.forEach((key, value) -> {
        MlflowKeys.checkKey("param", key);
        MlflowKeys.checkParamValue(key, value);
        String current = params.get(key);
        if (current != null && !current.equals(value)) {
          throw new IllegalArgumentException("param '" + key + "' of run " + runId + " was already logged as '"
              + current + "' and cannot change to '" + value + "' (MLflow params are immutable; log the new "
              + "value under another key or start a new run).");
        }
      });
      sorted.forEach((key, value) -> {
        if (params.putIfAbsent(key, value) == null) {
          append(record("p").put("k", key).put("v", value));
        }
      });
    }
  }

  /**
   * Sets tags (last write wins).
   *
   * @throws IllegalArgumentException for an invalid key or value, naming the key
   */
  @Override
  public void setTags(Map<String, String> tags) {
    Map<String, String> sorted = new TreeMap<>(tags);
    sorted.forEach((key, value) -> {
      MlflowKeys.checkKey("tag", key);
      MlflowKeys.checkTagValue(key, value);
    });
    sorted.forEach((key, value) -> append(record("g").put("k", key).put("v", value)));
  }

  /**
   * Appends one point to a metric's history; returns once it is in the spool journal.
   *
   * @throws IllegalArgumentException for an invalid key, naming it
   */
  @Override
  public void logMetric(String key, double value, long step, long timestampMillis) {
    if (!checkedMetricKeys.contains(key)) {
      MlflowKeys.checkKey("metric", key);
      checkedMetricKeys.add(key);
    }
    append(record("m").put("k", key).put("v", value).put("s", step).put("ts", timestampMillis));
  }

  /**
   * Copies a file or a directory tree into the spool, to be uploaded as {@code artifactPath} (a file) or under
   * {@code artifactPath/} (a directory's contents); an empty path means the file's own name, or the artifact root
   * for a directory.
   *
   * <pre>{@code
   * run.logArtifact(modelDir, "train/model"); // MLmodel inside: the UI shows a model
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code artifactPath} is absolute or contains '..'
   * @throws UncheckedIOException if {@code source} is missing or cannot be copied
   */
  @Override
  public void logArtifact(Path source, String artifactPath) {
    String path = artifactPath == null ? "" : artifactPath.replace('\\', '/');
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
      throw new IllegalArgumentException("artifact path '" + artifactPath
          + "' must be relative to the run's artifact root and stay inside it (like 'train/spec.json').");
    }
    if (path.isEmpty() && Files.isRegularFile(source)) {
      path = source.getFileName().toString();
    }
    Path copy = journal.filesDirectory().resolve(Long.toString(artifactCopies.incrementAndGet()));
    try {
      if (Files.isDirectory(source)) {
        copyTree(source, copy);
      } else if (Files.isRegularFile(source)) {
        Files.createDirectories(copy);
        copy = copy.resolve(source.getFileName().toString());
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
      } else {
        throw new IOException("no such file or directory: " + source);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not log artifact " + source + " as '" + artifactPath + "' of run "
          + runId + ": " + e.getMessage(), e);
    }
    append(record("a").put("src", copy.toString()).put("path", path));
  }

  @Override
  public ServerRun startChild(String runName, Map<String, String> tags) {
    Map<String, String> childTags = new LinkedHashMap<>(tags == null ? Map.of() : tags);
    childTags.put(SystemTags.PARENT_RUN_ID, runId);
    return tracker.startRunIn(experimentId, runName, childTags);
  }

  /** Reopens a child run of this run on the server for resuming (see {@link ServerTracker#reopen}). */
  @Override
  public Optional<TrackedRun> reopenChild(String childRunId) {
    return tracker.reopenRun(childRunId);
  }

  /**
   * Ends the run: journals the status, waits up to the end timeout for the spool to drain, then closes it
   * (deleted once everything was acknowledged; kept for {@code tessera mlflow flush} otherwise). Ending twice is
   * a no-op.
   *
   * @throws IllegalArgumentException if {@code status} is not terminal
   */
  @Override
  public void end(RunStatus status) {
    end(status, System.currentTimeMillis());
  }

  /** As {@link #end(RunStatus)} with a given end time (for replaying runs recorded elsewhere). */
  void end(RunStatus status, long endTimeMillis) {
    if (status != RunStatus.FINISHED && status != RunStatus.FAILED && status != RunStatus.KILLED) {
      throw new IllegalArgumentException("a run ends with FINISHED, FAILED or KILLED, but got " + status + ".");
    }
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    append(record("e").put("status", status.name()).put("ts", endTimeMillis));
    close(tracker.settings().endTimeout());
  }

  /**
   * Stops sending without ending the run (as a crash would): what is not yet acknowledged stays in the spool.
   * For tests and for shutting down a process that will resume the run later.
   */
  public void abandon() {
    synchronized (this) {
      ended = true;
    }
    try {
      sender.drainAndStop(java.time.Duration.ZERO);
      journal.close(false);
    } catch (IOException e) {
      throw new UncheckedIOException("could not close the spool " + journal.file() + ": " + e.getMessage(), e);
    }
  }

  private void close(java.time.Duration timeout) {
    boolean drained = sender.drainAndStop(timeout);
    try {
      journal.close(drained && sender.ended());
    } catch (IOException e) {
      throw new UncheckedIOException("could not close the spool " + journal.file() + ": " + e.getMessage(), e);
    }
    if (!drained) {
      LOG.warn("run {} ended, but MLflow server {} has not taken all of it yet ({}); the rest stays in {}: "
          + "run 'tessera mlflow flush' when the server is back", runId, tracker.location(), sender.problem(),
          journal.file());
    }
    if (sender.rejected() > 0) {
      LOG.warn("MLflow server {} refused {} record(s) of run {}; they are kept with the server's reasons in {}",
          tracker.location(), sender.rejected(), runId, journal.rejectedFile());
    }
  }

  private ObjectNode record(String type) {
    return JSON.createObjectNode().put("t", type);
  }

  private void append(ObjectNode record) {
    try {
      journal.append(JSON.writeValueAsBytes(record));
    } catch (IOException e) {
      throw new UncheckedIOException("could not append to the spool " + journal.file() + " of run " + runId
          + ": " + e.getMessage(), e);
    }
    sender.wake();
  }

  private static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path entry : walk.sorted().toList()) {
        Path dest = target.resolve(source.relativize(entry).toString());
        if (Files.isDirectory(entry)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(entry, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
