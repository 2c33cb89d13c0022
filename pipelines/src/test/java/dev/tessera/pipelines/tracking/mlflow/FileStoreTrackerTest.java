package dev.tessera.pipelines.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bytes on disk; {@link FileStoreTrackerMlflowTest} checks that MLflow itself reads them. */
class FileStoreTrackerTest {
  private static final long NOW = 1_700_000_000_123L;

  @TempDir
  Path tmp;

  private FileStoreTracker tracker() {
    return FileStoreTracker.at(tmp.resolve("mlruns"))
        .withClock(Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC))
        .withUserId("alice");
  }

  @Test
  void newStoreGetsDefaultExperimentAndTrash() throws IOException {
    FileStoreRun run = tracker().startRun("exp", "r", Map.of());
    Path root = tmp.resolve("mlruns");
    assertTrue(Files.isDirectory(root.resolve(".trash")));
    assertEquals(String.join("\n",
        "artifact_location: file://" + root + "/0",
        "creation_time: " + NOW,
        "effective_trace_archival_retention: null",
        "experiment_id: '0'",
        "last_update_time: " + NOW,
        "lifecycle_stage: active",
        "name: Default",
        "trace_location: null",
        "workspace: default",
        ""), Files.readString(root.resolve("0/meta.yaml")));
    String id = run.experimentId();
    assertTrue(id.matches("[1-9][0-9]{17}"), id);
    assertEquals(String.join("\n",
        "artifact_location: file://" + root + "/" + id,
        "creation_time: " + NOW,
        "effective_trace_archival_retention: null",
        "experiment_id: '" + id + "'",
        "last_update_time: " + NOW,
        "lifecycle_stage: active",
        "name: exp",
        "trace_location: null",
        "workspace: default",
        ""), Files.readString(root.resolve(id).resolve("meta.yaml")));
  }

  @Test
  void writesRunMetaAsMlflowDoes() throws IOException {
    FileStoreRun run = tracker().startRun("exp", "run-1", Map.of());
    assertTrue(run.id().matches("[0-9a-f]{32}"), run.id());
    Path runDir = tmp.resolve("mlruns").resolve(run.experimentId()).resolve(run.id());
    assertEquals(runDir, run.directory());
    String expected = String.join("\n",
        "artifact_uri: file://" + runDir + "/artifacts",
        "end_time: null",
        "entry_point_name: ''",
        "experiment_id: '" + run.experimentId() + "'",
        "lifecycle_stage: active",
        "run_id: " + run.id(),
        "run_name: run-1",
        "run_uuid: " + run.id(),
        "source_name: ''",
        "source_type: 4",
        "source_version: ''",
        "start_time: " + NOW,
        "status: 1",
        "tags: []",
        "user_id: alice",
        "");
    assertEquals(expected, Files.readString(runDir.resolve("meta.yaml")));
    for (String dir : List.of("metrics", "params", "artifacts", "tags")) {
      assertTrue(Files.isDirectory(runDir.resolve(dir)), dir);
    }
    assertEquals("run-1", Files.readString(runDir.resolve("tags/mlflow.runName")));

    run.end(RunStatus.FAILED);
    assertEquals(expected.replace("end_time: null", "end_time: " + NOW).replace("status: 1", "status: 4"),
        Files.readString(runDir.resolve("meta.yaml")));
  }

  @Test
  void reusesExperimentByName() {
    FileStoreTracker tracker = tracker();
    String first = tracker.startRun("exp", "a", Map.of()).experimentId();
    assertEquals(first, tracker.startRun("exp", "b", Map.of()).experimentId());
    assertFalse(first.equals(tracker.startRun("other", "c", Map.of()).experimentId()));
  }

  @Test
  void writesParamsTagsAndMetricsAsFilesNamedByKey() throws IOException {
    FileStoreRun run = tracker().startRun("exp", "r", Map.of("tessera.version", "0.1.0"));
    run.logParams(Map.of("train.lr", "0.01", "model/layers", "3"));
    run.setTags(Map.of("stage/train", "done"));
    run.logMetric("train/loss", 0.5, 0, 1000L);
    run.logMetric("train/loss", Double.NaN, 1, 1001L);
    run.logMetric("train/loss", Double.NEGATIVE_INFINITY, 2, 1002L);
    run.logMetric("train/loss", 1e-5, 3, 1003L);
    run.logMetric("train/loss", 100, 4, 1004L);

    Path dir = run.directory();
    assertEquals("0.01", Files.readString(dir.resolve("params/train.lr")));
    assertEquals("3", Files.readString(dir.resolve("params/model/layers")));
    assertEquals("done", Files.readString(dir.resolve("tags/stage/train")));
    assertEquals("0.1.0", Files.readString(dir.resolve("tags/tessera.version")));
    assertEquals("1000 0.5 0\n1001 nan 1\n1002 -inf 2\n1003 1e-05 3\n1004 100.0 4\n",
        Files.readString(dir.resolve("metrics/train/loss")));
  }

  @Test
  void rejectsChangedParamButAcceptsSameValue() throws IOException {
    FileStoreRun run = tracker().startRun("exp", "r", Map.of());
    run.logParams(Map.of("train.lr", "0.01"));
    run.logParams(Map.of("train.lr", "0.01"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run.logParams(Map.of("train.lr", "0.02", "train.epochs", "3")));
    assertEquals("param 'train.lr' of run " + run.id() + " was already logged as '0.01' and cannot change to "
        + "'0.02' (MLflow params are immutable; log the new value under another key or start a new run).",
        e.getMessage());
    // Checked before anything is written: the other param of the rejected batch is absent.
    assertFalse(Files.exists(run.directory().resolve("params/train.epochs")));
  }

  @Test
  void rejectsInvalidKeysNamingKeyAndRule() {
    FileStoreRun run = tracker().startRun("exp", "r", Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run.logMetric("../escape", 1, 0, 0));
    assertEquals("metric key '../escape' contains a '..' segment; MLflow stores keys as file paths, so it would "
        + "name another key.", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> run.setTags(Map.of("a:b", "x")));
    assertThrows(IllegalArgumentException.class, () -> run.logParams(Map.of("/abs", "x")));
  }

  @Test
  void rejectsRunNameThatContradictsTag() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tracker().startRun("exp", "a", Map.of("mlflow.runName", "b")));
    assertEquals("run name 'a' and tag mlflow.runName='b' differ; MLflow needs them equal (pass the same value or "
        + "drop the tag).", e.getMessage());
  }

  @Test
  void copiesFileAndDirectoryArtifacts() throws IOException {
    FileStoreRun run = tracker().startRun("exp", "r", Map.of());
    Path file = Files.writeString(tmp.resolve("spec.json"), "{}");
    Path dir = Files.createDirectories(tmp.resolve("model/data"));
    Files.writeString(dir.resolve("w.bin"), "w");
    Files.writeString(tmp.resolve("model/MLmodel"), "flavors: {}\n");
    run.logArtifact(file, "train/spec.json");
    run.logArtifact(file, "");
    run.logArtifact(tmp.resolve("model"), "train/model");

    Path artifacts = run.directory().resolve("artifacts");
    List<String> files;
    try (Stream<Path> walk = Files.walk(artifacts)) {
      files = walk.filter(Files::isRegularFile).map(p -> artifacts.relativize(p).toString()).sorted().toList();
    }
    assertEquals(List.of("spec.json", "train/model/MLmodel", "train/model/data/w.bin", "train/spec.json"), files);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run.logArtifact(file, "../outside.json"));
    assertEquals("artifact path '../outside.json' must stay inside the run's artifact root, but contains '..'.",
        e.getMessage());
  }

  @Test
  void reopenSetsRunningAgain() throws IOException {
    FileStoreTracker tracker = tracker();
    FileStoreRun run = tracker.startRun("exp", "r", Map.of());
    run.logParams(Map.of("a", "1"));
    run.end(RunStatus.KILLED);

    Optional<FileStoreRun> reopened = tracker.reopenRun("exp", run.id());
    assertTrue(reopened.isPresent());
    String meta = Files.readString(run.directory().resolve("meta.yaml"));
    assertTrue(meta.contains("status: 1\n") && meta.contains("end_time: null\n"), meta);
    assertThrows(IllegalArgumentException.class, () -> reopened.get().logParams(Map.of("a", "2")));

    assertEquals(Optional.empty(), tracker.reopen("exp", "0123456789abcdef0123456789abcdef"));
    assertEquals(Optional.empty(), tracker.reopen("missing", run.id()));
    assertThrows(IllegalArgumentException.class, () -> tracker.reopen("exp", "../0"));
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    Tracker tracker = tracker();
    FileStoreRun run = (FileStoreRun) tracker.startRun("exp", "r", Map.of());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            run.logMetric("loss", i, thread * 1000L + i, i);
            run.logParams(Map.of("p" + thread, "v"));
            run.setTags(Map.of("t", Integer.toString(i)));
          }
        }));
        futures.add(pool.submit(() -> tracker.startRun("parallel", "r" + thread, Map.of())));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> lines = Files.readAllLines(run.directory().resolve("metrics/loss"));
    assertEquals(1600, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.matches("\\d+ \\d+\\.0 \\d+")), lines.toString());
    // Eight concurrent starts of a new experiment name still created one experiment.
    long parallelExperiments;
    try (Stream<Path> dirs = Files.list(tmp.resolve("mlruns"))) {
      parallelExperiments = dirs.filter(d -> {
        try {
          return Files.readString(d.resolve("meta.yaml")).contains("name: parallel\n");
        } catch (IOException e) {
          return false;
        }
      }).count();
    }
    assertEquals(1, parallelExperiments);
  }
}
