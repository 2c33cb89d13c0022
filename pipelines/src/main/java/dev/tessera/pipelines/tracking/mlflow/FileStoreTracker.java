package dev.tessera.pipelines.tracking.mlflow;

import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.mlflow.internal.FileUris;
import dev.tessera.pipelines.tracking.mlflow.internal.MetaYaml;
import dev.tessera.pipelines.tracking.mlflow.internal.MlflowKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded default tracker: MLflow's file store ({@code ./mlruns}), written exactly as MLflow 3.x writes it,
 * so that {@code mlflow ui} / {@code mlflow server --backend-store-uri ./mlruns} (with
 * {@code MLFLOW_ALLOW_FILE_STORE=true} on MLflow 3.13 and later) and the MLflow Python client read the runs.
 *
 * <p>Layout: {@code <root>/<experiment id>/meta.yaml}; runs in {@code <root>/<experiment id>/<run id>/} with
 * {@code meta.yaml}, {@code params/}, {@code tags/}, {@code metrics/} and {@code artifacts/}. A new store gets the
 * {@code Default} experiment {@code 0} and a {@code .trash} folder, as MLflow creates them. New experiments get an
 * 18-digit random integer id, as MLflow 3.x allocates them, claimed atomically by creating the directory.
 *
 * <p>Thread-safe. Several JVMs may write to one store; creating the same experiment name from two JVMs at the same
 * instant can produce two experiments of that name (MLflow's file store has the same race).
 *
 * <pre>{@code
 * Tracker tracker = FileStoreTracker.at(Path.of("mlruns"));
 * TrackedRun run = tracker.startRun("mnist-lenet", "run-42", SystemTags.forCurrentProcess("run-42"));
 * run.logMetric("train/loss", 0.31, 1, System.currentTimeMillis());
 * run.end(RunStatus.FINISHED);
 * }</pre>
 */
public final class FileStoreTracker implements Tracker {
  /** The Default experiment's id and name, as MLflow creates them. */
  public static final String DEFAULT_EXPERIMENT_ID = "0";
  public static final String DEFAULT_EXPERIMENT_NAME = "Default";

  static final String META = "meta.yaml";
  static final String TRASH = ".trash";
  private static final Pattern RUN_ID = Pattern.compile("[a-zA-Z0-9][\\w\\-]{0,255}");
  /** One lock per store root in this JVM, so two threads never create the same experiment twice. */
  private static final Map<Path, Object> STORE_LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final Clock clock;
  private final String userId;

  private FileStoreTracker(Path root, Clock clock, String userId) {
    this.root = root.toAbsolutePath().normalize();
    this.clock = clock;
    this.userId = userId;
  }

  /** A tracker over the store at {@code root} (created on first use), user from {@code user.name}. */
  public static FileStoreTracker at(Path root) {
    return new FileStoreTracker(root, Clock.systemUTC(), System.getProperty("user.name", "unknown"));
  }

  /** A copy that reads time from {@code clock} (start, end and creation times; metric times are the caller's). */
  public FileStoreTracker withClock(Clock value) {
    return new FileStoreTracker(root, value, userId);
  }

  /** A copy that records runs as started by {@code value} ({@code user_id} in the run's meta.yaml). */
  public FileStoreTracker withUserId(String value) {
    return new FileStoreTracker(root, clock, value);
  }

  /** The store's root directory, absolute. */
  public Path root() {
    return root;
  }

  @Override
  public String location() {
    return root.toString();
  }

  @Override
  public FileStoreRun startRun(String experimentName, String runName, Map<String, String> tags) {
    MlflowKeys.checkExperimentName(experimentName);
    String experimentId;
    try {
      experimentId = experimentIdCreatingIfMissing(experimentName);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a run of experiment '" + experimentName
          + "' in the MLflow file store " + root + ": " + e.getMessage(), e);
    }
    return startRunIn(experimentId, runName, tags);
  }

  /** Starts a run in an existing experiment (for child runs, which live in their parent's experiment). */
  FileStoreRun startRunIn(String experimentId, String runName, Map<String, String> tags) {
    Map<String, String> allTags = new LinkedHashMap<>(tags == null ? Map.of() : tags);
    String nameTag = allTags.get(SystemTags.RUN_NAME);
    if (runName != null && !runName.isBlank() && nameTag != null && !nameTag.equals(runName)) {
      throw new IllegalArgumentException("run name '" + runName + "' and tag " + SystemTags.RUN_NAME + "='"
          + nameTag + "' differ; MLflow needs them equal (pass the same value or drop the tag).");
    }
    String runId = UUID.randomUUID().toString().replace("-", "");
    String name = runName != null && !runName.isBlank() ? runName : nameTag != null ? nameTag : runId;
    allTags.put(SystemTags.RUN_NAME, name);
    allTags.forEach((k, v) -> {
      MlflowKeys.checkKey("tag", k);
      MlflowKeys.checkTagValue(k, v);
    });
    try {
      Path experimentDir = root.resolve(experimentId);
      Path runDir = experimentDir.resolve(runId);
      Files.createDirectory(runDir);
      Map<String, Object> meta = new HashMap<>();
      meta.put("artifact_uri", FileUris.of(runDir.resolve(FileStoreRun.ARTIFACTS)));
      meta.put("end_time", null);
      meta.put("entry_point_name", "");
      meta.put("experiment_id", experimentId);
      meta.put("lifecycle_stage", "active");
      meta.put("run_id", runId);
      // MLflow 3 no longer writes run_uuid, but MLflow 2.x readers require it; 3.x ignores it.
      meta.put("run_uuid", runId);
      meta.put("run_name", name);
      meta.put("source_name", "");
      meta.put("source_type", 4L);
      meta.put("source_version", "");
      meta.put("start_time", clock.millis());
      meta.put("status", (long) RunStatus.RUNNING.mlflowCode());
      meta.put("tags", MetaYaml.EMPTY_LIST);
      meta.put("user_id", userId);
      MetaYaml.write(runDir.resolve(META), meta);
      Files.createDirectory(runDir.resolve(FileStoreRun.METRICS));
      Files.createDirectory(runDir.resolve(FileStoreRun.PARAMS));
      Files.createDirectory(runDir.resolve(FileStoreRun.ARTIFACTS));
      FileStoreRun run = new FileStoreRun(this, runDir, experimentId, runId, meta, clock);
      run.setTags(allTags);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a run in experiment " + experimentId
          + "' in the MLflow file store " + root + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<TrackedRun> reopen(String experimentName, String trackedRunId) {
    return reopenRun(experimentName, trackedRunId).map(run -> run);
  }

  /**
   * Reopens a run of this store for resuming: its status goes back to {@code RUNNING} and its end time to none.
   * Empty if the experiment or the run is missing or deleted.
   */
  public Optional<FileStoreRun> reopenRun(String experimentName, String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run id must be an MLflow run id (32 hex characters for this store), "
          + "but was '" + runId + "'.");
    }
    try {
      Optional<String> experimentId = experimentId(experimentName);
      if (experimentId.isEmpty()) {
        return Optional.empty();
      }
      return reopenRunIn(experimentId.get(), runId);
    } catch (IOException e) {
      throw new UncheckedIOException("could not reopen run " + runId + " of experiment '" + experimentName
          + "' in the MLflow file store " + root + ": " + e.getMessage(), e);
    }
  }

  /** As {@link #reopenRun}, in the experiment with MLflow id {@code experimentId}. */
  Optional<FileStoreRun> reopenRunIn(String experimentId, String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run id must be an MLflow run id (32 hex characters for this store), "
          + "but was '" + runId + "'.");
    }
    try {
      Path runDir = root.resolve(experimentId).resolve(runId);
      Path metaFile = runDir.resolve(META);
      if (!Files.isRegularFile(metaFile)) {
        return Optional.empty();
      }
      Map<String, Object> meta = MetaYaml.read(metaFile);
      if (!runId.equals(meta.get("run_id")) || !"active".equals(meta.get("lifecycle_stage"))) {
        return Optional.empty();
      }
      FileStoreRun run = new FileStoreRun(this, runDir, experimentId, runId, meta, clock);
      run.markRunning();
      return Optional.of(run);
    } catch (IOException e) {
      throw new UncheckedIOException("could not reopen run " + runId + " of experiment " + experimentId
          + " in the MLflow file store " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * The directory of run {@code runId} in any experiment of this store (not in {@code .trash}), finished or not;
   * empty when the store has no such run.
   */
  public Optional<Path> runDirectory(String runId) throws IOException {
    if (runId == null || !RUN_ID.matcher(runId).matches() || !Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> experiments = Files.list(root)) {
      return experiments.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals("models"))
          .map(p -> p.resolve(runId))
          .filter(p -> Files.isRegularFile(p.resolve(META)))
          .findFirst();
    }
  }

  /** The id of the active experiment of that name, if the store has one. */
  public Optional<String> experimentId(String experimentName) throws IOException {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    return findExperiment(root, experimentName);
  }

  /** The experiment tag MLflow's UI reads to choose between its GenAI and model-training views. */
  public static final String EXPERIMENT_KIND_TAG = "mlflow.experimentKind";
  /** Its value for Tessera's experiments. */
  public static final String EXPERIMENT_KIND = "custom_model_development";

  private String experimentIdCreatingIfMissing(String experimentName) throws IOException {
    synchronized (STORE_LOCKS.computeIfAbsent(root, r -> new Object())) {
      ensureStore();
      Optional<String> existing = findExperiment(root, experimentName);
      if (existing.isPresent()) {
        return existing.get();
      }
      Path trash = root.resolve(TRASH);
      if (Files.isDirectory(trash) && findExperiment(trash, experimentName).isPresent()) {
        throw new IllegalStateException("experiment '" + experimentName + "' exists in the deleted state in "
            + trash + "; restore it (mlflow experiments restore) or delete it permanently (mlflow gc) to reuse "
            + "the name.");
      }
      while (true) {
        String id = Long.toString(100_000_000_000_000_000L
            + ThreadLocalRandom.current().nextLong(900_000_000_000_000_000L));
        try {
          createExperiment(id, experimentName);
          // Tells MLflow 3's UI that this is model training, so it opens on the runs table, not on GenAI traces.
          Path tags = Files.createDirectories(root.resolve(id).resolve("tags"));
          Files.writeString(tags.resolve(EXPERIMENT_KIND_TAG), EXPERIMENT_KIND);
          return id;
        } catch (FileAlreadyExistsException e) {
          // Another writer took this id first: draw again.
        }
      }
    }
  }

  /** Creates the store as MLflow does: the root, the Default experiment and .trash, when the store is new. */
  private void ensureStore() throws IOException {
    boolean isNew = !Files.exists(root) || isEmptyDirectory(root);
    Files.createDirectories(root);
    if (isNew) {
      try {
        createExperiment(DEFAULT_EXPERIMENT_ID, DEFAULT_EXPERIMENT_NAME);
      } catch (FileAlreadyExistsException e) {
        // Another writer created it a moment ago.
      }
    }
    Files.createDirectories(root.resolve(TRASH));
  }

  private void createExperiment(String id, String name) throws IOException {
    Path dir = Files.createDirectory(root.resolve(id)); // the atomic claim of the id
    long now = clock.millis();
    Map<String, Object> meta = new HashMap<>();
    meta.put("artifact_location", FileUris.of(dir));
    meta.put("creation_time", now);
    meta.put("effective_trace_archival_retention", null);
    meta.put("experiment_id", id);
    meta.put("last_update_time", now);
    meta.put("lifecycle_stage", "active");
    meta.put("name", name);
    meta.put("trace_location", null);
    meta.put("workspace", "default");
    MetaYaml.write(dir.resolve(META), meta);
  }

  private static Optional<String> findExperiment(Path parent, String name) throws IOException {
    List<Path> dirs;
    try (Stream<Path> list = Files.list(parent)) {
      dirs = list.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    }
    for (Path dir : dirs) {
      Path metaFile = dir.resolve(META);
      if (!Files.isRegularFile(metaFile)) {
        continue;
      }
      Map<String, Object> meta;
      try {
        meta = MetaYaml.read(metaFile);
      } catch (IllegalArgumentException | IOException e) {
        continue; // not an experiment MLflow could read either
      }
      String id = String.valueOf(meta.get("experiment_id"));
      if (name.equals(meta.get("name")) && id.equals(dir.getFileName().toString())) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.findAny().isEmpty();
    }
  }
}
