package dev.tessera.pipelines.tracking.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServerFixture;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The server tracker against a real {@code mlflow server} (sqlite backend, served artifacts), read back by REST. */
class ServerTrackerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

  @RegisterExtension
  static final MlflowServerFixture MLFLOW = new MlflowServerFixture();

  @TempDir
  Path tmp;

  /** Client settings for a test server (fast retries), for the other tests of this package. */
  static ServerSettings settings(URI uri, Path spool) {
    return MlflowServerFixture.clientSettings(uri, spool);
  }

  @Test
  void logsParamsMetricHistoriesTagsArtifactsAndNestedRuns() throws Exception {
    Path model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("MLmodel"), "flavors:\n  tessera: {}\n");
    Files.createDirectories(model.resolve("data"));
    Files.write(model.resolve("data/model.params"), new byte[] {1, 2, 3});
    Path png = Files.write(tmp.resolve("cm.png"), PNG);
    Path spec = Files.writeString(tmp.resolve("spec.json"), "{\"train\":{\"lr\":0.1}}");

    Path spool = tmp.resolve("spool");
    String runId;
    List<String> childIds = new ArrayList<>();
    try (ServerTracker tracker = ServerTracker.connect(MLFLOW.settings(spool))) {
      ServerRun run = tracker.startRun("server-basics", "run-1", SystemTags.forCurrentProcess("run-1"));
      runId = run.id();
      run.logParams(Map.of("train.lr", "0.1", "train.epochs", "3"));
      run.setTags(Map.of("tessera.run_id", "run-1"));
      for (int step = 0; step < 50; step++) {
        run.logMetric("train/loss", 1.0 / (step + 1), step, 1_000 + step);
      }
      run.logMetric("train/odd", Double.NaN, 0, 5);
      run.logArtifact(model, "train/model");
      run.logArtifact(png, "evaluate/cm.png");
      run.logArtifact(spec, "spec.json");
      double[] trialAccuracy = {0.91, 0.97, 0.94};
      int best = 0;
      for (int i = 0; i < trialAccuracy.length; i++) {
        TrackedRun child = run.startChild("trial-" + i, Map.of("tessera.trial", Integer.toString(i)));
        childIds.add(child.id());
        child.logParams(Map.of("train.lr", Double.toString(0.1 * (i + 1))));
        child.logMetric("evaluate/accuracy", trialAccuracy[i], 0, 10);
        child.end(RunStatus.FINISHED);
        best = trialAccuracy[i] > trialAccuracy[best] ? i : best;
      }
      run.logMetric("evaluate/accuracy", trialAccuracy[best], 0, 10);
      run.setTags(Map.of("tessera.best_trial", childIds.get(best)));
      run.end(RunStatus.FINISHED);
      assertFalse(Files.exists(run.spoolFile()), "a fully sent spool is deleted");
    }

    JsonNode got = json(MLFLOW.server().get("/api/2.0/mlflow/runs/get?run_id=" + runId)).get("run");
    assertEquals("FINISHED", got.at("/info/status").asText());
    assertEquals("run-1", got.at("/info/run_name").asText());
    Map<String, String> params = pairs(got.at("/data/params"));
    assertEquals(Map.of("train.lr", "0.1", "train.epochs", "3"), params);
    Map<String, String> tags = pairs(got.at("/data/tags"));
    assertEquals("run-1", tags.get("tessera.run_id"));
    assertEquals(childIds.get(1), tags.get("tessera.best_trial"));
    assertEquals("LOCAL", tags.get(SystemTags.SOURCE_TYPE));

    JsonNode history = json(MLFLOW.server().get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId
        + "&metric_key=train/loss&max_results=1000")).get("metrics");
    assertEquals(50, history.size());
    for (JsonNode point : history) {
      int step = point.get("step").asInt();
      assertEquals(1.0 / (step + 1), point.get("value").asDouble(), 0.0);
      assertEquals(1_000 + step, point.get("timestamp").asLong());
    }
    JsonNode odd = json(MLFLOW.server().get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId
        + "&metric_key=train/odd")).get("metrics");
    assertTrue(Double.isNaN(odd.get(0).get("value").asDouble()), odd.toString());
    assertEquals(0.97, json(MLFLOW.server().get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId
        + "&metric_key=evaluate/accuracy")).at("/metrics/0/value").asDouble(), 0.0);

    String experimentId = got.at("/info/experiment_id").asText();
    assertEquals(List.of("MLmodel", "data"), names(json(MLFLOW.server().get(
        "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=train/model"))));
    assertArrayEquals(PNG, download(experimentId, runId, "evaluate/cm.png"));
    assertArrayEquals(new byte[] {1, 2, 3}, download(experimentId, runId, "train/model/data/model.params"));
    assertEquals("{\"train\":{\"lr\":0.1}}", new String(download(experimentId, runId, "spec.json")));

    JsonNode children = json(MLFLOW.server().postJson("/api/2.0/mlflow/runs/search", JSON.createObjectNode()
        .put("filter", "tags.mlflow.parentRunId = '" + runId + "'")
        .set("experiment_ids", JSON.createArrayNode().add(experimentId)).toString())).get("runs");
    assertEquals(3, children.size());
    for (JsonNode child : children) {
      assertTrue(childIds.contains(child.at("/info/run_id").asText()));
      assertEquals("FINISHED", child.at("/info/status").asText());
    }
  }

  @Test
  void aChildRunReopensOnTheServerAndItsHistoryGoesOnForAResumedSweep() throws Exception {
    String parentId;
    String trialId;
    try (ServerTracker tracker = ServerTracker.connect(MLFLOW.settings(tmp.resolve("spool")))) {
      ServerRun parent = tracker.startRun("server-reopen", "sweep-1", Map.of());
      parentId = parent.id();
      TrackedRun trial = parent.startChild("trial-0", Map.of());
      trialId = trial.id();
      trial.logParams(Map.of("train.lr", "0.01"));
      trial.logMetric("evaluate/accuracy", 0.5, 1, 1);
      trial.end(RunStatus.KILLED);

      TrackedRun reopened = parent.reopenChild(trialId).orElseThrow();
      assertEquals(trialId, reopened.id());
      assertEquals("RUNNING", json(MLFLOW.server().get("/api/2.0/mlflow/runs/get?run_id=" + trialId))
          .at("/run/info/status").asText());
      reopened.logParams(Map.of("train.lr", "0.01"));
      reopened.logMetric("evaluate/accuracy", 0.7, 2, 2);
      reopened.end(RunStatus.FINISHED);
      assertEquals(java.util.Optional.empty(), parent.reopenChild("0123456789abcdef0123456789abcdef"),
          "a run the server does not have is not reopened");
      parent.end(RunStatus.FINISHED);
    }
    JsonNode got = json(MLFLOW.server().get("/api/2.0/mlflow/runs/get?run_id=" + trialId)).get("run");
    assertEquals("FINISHED", got.at("/info/status").asText());
    assertEquals(parentId, pairs(got.at("/data/tags")).get(SystemTags.PARENT_RUN_ID));
    assertEquals(Map.of("train.lr", "0.01"), pairs(got.at("/data/params")), "the same param logged again is kept");
    JsonNode history = json(MLFLOW.server().get("/api/2.0/mlflow/metrics/get-history?run_id=" + trialId
        + "&metric_key=evaluate/accuracy")).get("metrics");
    List<Long> steps = new ArrayList<>();
    history.forEach(point -> steps.add(point.get("step").asLong()));
    steps.sort(null);
    assertEquals(List.of(1L, 2L), steps, "the history goes on in the same run");
  }

  @Test
  void splitsBatchesAboveTheServerLimits() throws Exception {
    String runId;
    try (ServerTracker tracker = ServerTracker.connect(MLFLOW.settings(tmp.resolve("spool")))) {
      ServerRun run = tracker.startRun("server-limits", "big", Map.of());
      runId = run.id();
      Map<String, String> params = new LinkedHashMap<>();
      for (int i = 0; i < 250; i++) {
        params.put("p" + i, "v" + i);
      }
      run.logParams(params);
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 0; i < 150; i++) {
        tags.put("t" + i, "x".repeat(7000)); // 150 x 7 kB: more than 1 MB in all
      }
      run.setTags(tags);
      for (int step = 0; step < 2500; step++) {
        run.logMetric("m", step, step, step);
      }
      run.end(RunStatus.FINISHED);
      assertEquals(0, run.rejected());
    }
    JsonNode got = json(MLFLOW.server().get("/api/2.0/mlflow/runs/get?run_id=" + runId)).get("run");
    assertEquals(250, got.at("/data/params").size());
    assertEquals(150, pairs(got.at("/data/tags")).keySet().stream().filter(k -> k.matches("t\\d+")).count());
    JsonNode history = json(MLFLOW.server().get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId
        + "&metric_key=m&max_results=25000")).get("metrics");
    assertEquals(2500, history.size());
  }

  @Test
  void refusesTooLongParamValuesNamingTheParam() {
    try (ServerTracker tracker = ServerTracker.connect(MLFLOW.settings(tmp.resolve("spool")))) {
      ServerRun run = tracker.startRun("server-limits", "long-param", Map.of());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> run.logParams(Map.of("model.description", "x".repeat(6001))));
      assertEquals("param 'model.description' has a value of 6001 characters; MLflow allows at most 6000 (log long "
          + "text as an artifact instead).", e.getMessage());
      run.end(RunStatus.FINISHED);
    }
  }

  @Test
  void secretsAppearInNoParamTagArtifactSpoolOrLogLine() throws Exception {
    String secret = "tok-9f8e7d6c5b4a";
    Path spool = tmp.resolve("spool");
    // The test server has no auth and ignores the header, which lets this run end to end with a token set.
    ServerSettings settings = MLFLOW.settings(spool).withCredentials(Credentials.token(secret));
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream originalErr = System.err;
    System.setErr(new java.io.PrintStream(captured, true)); // slf4j-simple writes to the current System.err
    String experimentId;
    try (ServerTracker tracker = ServerTracker.connect(settings)) {
      ServerRun run = tracker.startRun("secrets", "r", SystemTags.forCurrentProcess("r"));
      run.logParams(Map.of("a", "1"));
      run.logMetric("m", 1, 0, 0);
      run.logArtifact(Files.writeString(tmp.resolve("x.txt"), "x"), "x.txt");
      assertThrows(IllegalArgumentException.class, () -> run.logParams(Map.of("bad key!", "1")));
      run.end(RunStatus.FINISHED);
      experimentId = tracker.experimentId("secrets");
      System.err.println(settings + " " + settings.credentials());
    } finally {
      System.setErr(originalErr);
    }
    StringBuilder everything = new StringBuilder(captured.toString(java.nio.charset.StandardCharsets.UTF_8));
    try (var files = Files.walk(spool)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        everything.append(Files.readString(f));
      }
    }
    everything.append(MLFLOW.server().postJson("/api/2.0/mlflow/runs/search",
        "{\"experiment_ids\": [\"" + experimentId + "\"]}").body());
    everything.append(MLFLOW.server().log());
    assertTrue(everything.toString().contains("Credentials[a token from MLFLOW_TRACKING_TOKEN]"));
    assertFalse(everything.toString().contains(secret), "the token leaked");
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  static Map<String, String> pairs(JsonNode array) {
    Map<String, String> out = new LinkedHashMap<>();
    array.forEach(p -> out.put(p.get("key").asText(), p.get("value").asText()));
    return out;
  }

  static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.get("files").forEach(f -> out.add(Path.of(f.get("path").asText()).getFileName().toString()));
    out.sort(null);
    return out;
  }

  static byte[] download(String experimentId, String runId, String path) throws Exception {
    URI server = MLFLOW.server().uri();
    HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve(
        "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/" + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), path);
    return response.body();
  }
}
