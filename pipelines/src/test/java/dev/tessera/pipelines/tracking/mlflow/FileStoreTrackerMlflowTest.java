package dev.tessera.pipelines.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.pipelines.tracking.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store as the real MLflow (3.17.2) reads it: the Python client, and {@code mlflow server} (the UI). */
class FileStoreTrackerMlflowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXPERIMENT = "mnist lenet";

  @TempDir
  Path tmp;

  /** Logs one finished run with everything the engine logs, and one run left running. */
  private Written writeRuns(Path store) throws IOException {
    FileStoreTracker tracker = FileStoreTracker.at(store);
    Map<String, String> tags = new LinkedHashMap<>(SystemTags.of("run-1", "dev.tessera.Main", tmp));
    tags.put("tessera.version", "0.1.0");
    FileStoreRun run = tracker.startRun(EXPERIMENT, "run-1", tags);
    run.logParams(Map.of("train.lr", "0.01", "train.epochs", "2", "data.name", "mnist"));
    run.logParams(Map.of("train.lr", "0.01")); // the same value again is fine
    run.setTags(Map.of("mlflow.note.content", "A *tiny* run."));
    long t0 = 1_700_000_000_000L;
    run.logMetric("train/loss", 2.5, 0, t0);
    run.logMetric("train/loss", Double.NaN, 1, t0 + 1);
    run.logMetric("train/loss", 1e-05, 2, t0 + 2);
    run.logMetric("train/loss", 0.1, 3, t0 + 3);
    run.logMetric("evaluate/accuracy", 0.9875, 2, t0 + 4);

    Path spec = Files.writeString(tmp.resolve("spec.json"), "{\"lr\": 0.01}");
    run.logArtifact(spec, "train/spec.json");
    Path model = Files.createDirectories(tmp.resolve("model-src"));
    Files.writeString(model.resolve("MLmodel"), "artifact_path: model\nflavors:\n  tessera:\n    format: djl\n");
    Files.createDirectories(model.resolve("data"));
    Files.writeString(model.resolve("data/weights.txt"), "w");
    run.logArtifact(model, "train/model");
    run.end(RunStatus.FINISHED);

    FileStoreRun running = tracker.startRun(EXPERIMENT, "run-2", SystemTags.of("run-2", "x", tmp));
    return new Written(run, running);
  }

  private record Written(FileStoreRun finished, FileStoreRun running) {}

  @Test
  void pythonClientReadsExperimentRunsParamsTagsMetricsAndArtifacts() throws IOException {
    Path store = tmp.resolve("ml runs"); // a space: artifact URIs must be percent-encoded as MLflow does
    Written written = writeRuns(store);

    JsonNode out = readWithPython(store);

    assertEquals("Default", out.at("/default_experiment/name").asText());
    assertEquals("0", out.at("/default_experiment/id").asText());
    assertEquals(EXPERIMENT, out.at("/experiment/name").asText());
    assertEquals(written.finished().experimentId(), out.at("/experiment/id").asText());
    assertEquals("active", out.at("/experiment/lifecycle_stage").asText());
    assertEquals(List.of(written.finished().id()), texts(out.get("finished_run_ids")));

    JsonNode runs = out.get("runs");
    assertEquals(2, runs.size(), runs.toString());
    JsonNode run = runs.get(0);
    assertEquals(written.finished().id(), run.get("run_id").asText());
    assertEquals("run-1", run.get("run_name").asText());
    assertEquals("FINISHED", run.get("status").asText());
    assertTrue(run.get("end_time").asLong() >= run.get("start_time").asLong(), run.toString());
    assertEquals(System.getProperty("user.name"), run.get("user_id").asText());
    assertEquals(written.finished().artifactUri(), run.get("artifact_uri").asText());
    assertTrue(run.get("artifact_uri").asText().contains("/ml%20runs/"), run.get("artifact_uri").asText());

    assertEquals(Map.of("train.lr", "0.01", "train.epochs", "2", "data.name", "mnist"), map(run.get("params")));
    Map<String, String> tags = map(run.get("tags"));
    assertEquals("run-1", tags.get("mlflow.runName"));
    assertEquals("LOCAL", tags.get("mlflow.source.type"));
    assertEquals("dev.tessera.Main", tags.get("mlflow.source.name"));
    assertEquals(System.getProperty("user.name"), tags.get("mlflow.user"));
    assertEquals("0.1.0", tags.get("tessera.version"));
    assertEquals("A *tiny* run.", tags.get("mlflow.note.content"));

    List<String> history = new ArrayList<>();
    for (JsonNode point : run.at("/metric_histories/train~1loss")) {
      history.add(point.get("step").asLong() + ":" + point.get("value").asText() + "@" + point.get("timestamp"));
    }
    assertEquals(List.of(
        "0:2.5@1700000000000", "1:nan@1700000000001", "2:1e-05@1700000000002", "3:0.1@1700000000003"), history);
    assertEquals("0.9875", run.at("/latest_metrics/evaluate~1accuracy").asText());

    List<String> artifacts = new ArrayList<>();
    for (JsonNode a : run.get("artifacts")) {
      artifacts.add(a.get("path").asText() + (a.get("is_dir").asBoolean() ? "/" : ""));
    }
    assertEquals(List.of("train/", "train/model/", "train/model/MLmodel", "train/model/data/",
        "train/model/data/weights.txt", "train/spec.json"), artifacts);
    assertEquals("{\"lr\": 0.01}", run.at("/downloads/train~1spec.json").asText());
    assertEquals(List.of("tessera"), texts(run.at("/models/train~1model/flavors")));
    assertEquals(List.of("MLmodel", "data"), texts(run.at("/models/train~1model/files")));

    JsonNode second = runs.get(1);
    assertEquals(written.running().id(), second.get("run_id").asText());
    assertEquals("RUNNING", second.get("status").asText());
    assertTrue(second.get("end_time").isNull(), second.toString());
  }

  @Test
  void pythonClientSeesAResumedRunAsRunningAgain() throws IOException {
    Path store = tmp.resolve("mlruns");
    Written written = writeRuns(store);
    FileStoreRun reopened = FileStoreTracker.at(store).reopenRun(EXPERIMENT, written.finished().id()).orElseThrow();
    reopened.logMetric("train/loss", 0.05, 4, 1_700_000_000_010L);

    JsonNode run = readWithPython(store).get("runs").get(0);
    assertEquals("RUNNING", run.get("status").asText());
    assertTrue(run.get("end_time").isNull());
    assertEquals(5, run.at("/metric_histories/train~1loss").size());
  }

  @Test
  void mlflowServerListsTheRunWithItsMetrics() throws IOException {
    Path store = tmp.resolve("mlruns");
    Written written = writeRuns(store);

    try (MlflowServer server = MlflowServer.fileStore(store)) {
      HttpResponse<String> byName = server.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name="
          + URLEncoder.encode(EXPERIMENT, StandardCharsets.UTF_8));
      assertEquals(200, byName.statusCode(), byName.body());
      String experimentId = JSON.readTree(byName.body()).at("/experiment/experiment_id").asText();
      assertEquals(written.finished().experimentId(), experimentId);

      HttpResponse<String> search = server.postJson("/api/2.0/mlflow/runs/search",
          "{\"experiment_ids\": [\"" + experimentId + "\"], \"filter\": \"attributes.status = 'FINISHED'\"}");
      assertEquals(200, search.statusCode(), search.body());
      JsonNode runs = JSON.readTree(search.body()).get("runs");
      assertNotNull(runs, search.body());
      assertEquals(1, runs.size(), search.body());
      JsonNode run = runs.get(0);
      assertEquals(written.finished().id(), run.at("/info/run_id").asText());
      assertEquals("run-1", run.at("/info/run_name").asText());
      assertEquals("FINISHED", run.at("/info/status").asText());
      Map<String, String> metrics = new LinkedHashMap<>();
      for (JsonNode m : run.at("/data/metrics")) {
        metrics.put(m.get("key").asText(), m.get("value").asText() + "@" + m.get("step").asLong());
      }
      assertEquals(Map.of("train/loss", "0.1@3", "evaluate/accuracy", "0.9875@2"), metrics);

      HttpResponse<String> history = server.get("/api/2.0/mlflow/metrics/get-history?run_id="
          + written.finished().id() + "&metric_key=" + URLEncoder.encode("train/loss", StandardCharsets.UTF_8));
      assertEquals(200, history.statusCode(), history.body());
      assertEquals(4, JSON.readTree(history.body()).get("metrics").size(), history.body());

      HttpResponse<String> artifacts = server.get("/api/2.0/mlflow/artifacts/list?run_id="
          + written.finished().id() + "&path=train");
      assertEquals(200, artifacts.statusCode(), artifacts.body());
      assertTrue(artifacts.body().contains("train/spec.json"), artifacts.body());
    }
  }

  private JsonNode readWithPython(Path store) throws IOException {
    Path script = tmp.resolve("read_file_store.py");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("python/read_file_store.py")) {
      assertNotNull(in, "python/read_file_store.py is missing from the test class path");
      Files.write(script, in.readAllBytes());
    }
    Path downloads = Files.createDirectories(tmp.resolve("downloads"));
    String stdout = PythonEnv.get().run(script, List.of(store.toString(), EXPERIMENT, downloads.toString()),
        Map.of("MLFLOW_ALLOW_FILE_STORE", "true"));
    return JSON.readTree(stdout);
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    assertNotNull(array);
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
