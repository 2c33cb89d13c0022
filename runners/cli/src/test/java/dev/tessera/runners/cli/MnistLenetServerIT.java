package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mnist-lenet through the CLI against a real MLflow server (sqlite backend, {@code --serve-artifacts}) on a slice
 * of real MNIST, read back through the server's REST API: params, full metric histories, system and Tessera tags,
 * the model directory, plots and spec.json as artifacts, the FINISHED status; and a second run whose cached
 * stages are tagged with the run that produced them instead of being logged again.
 */
class MnistLenetServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SMALL = {"--set", "ingest.limit=2000", "--set", "train.epochs=1",
      "--set", "train.logEverySteps=2", "--plain"};

  @TempDir Path dir;
  private Map<String, String> env;
  private MlflowServer server;

  @BeforeEach
  void setUp() {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null, "TESSERA_DATA_MIRROR is not set: these tests need the MNIST files of the offline "
        + "mirror (.ci/run sets it to the data folder beside the checkout)");
    env = new HashMap<>();
    env.put("TESSERA_HOME", dir.resolve("home").toString());
    server = MlflowServer.sqlite(dir.resolve("server/mlflow.db"), dir.resolve("server/artifacts"));
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
  }

  private RunRecord run(String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "mnist-lenet", "--tracking-uri", server.uri().toString()));
    args.addAll(List.of(SMALL));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), env, new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, "exit code of tessera " + args + "\n" + out + "\n" + err);
    assertTrue(out.toString().contains("MLflow run: "), out.toString());
    return new RunStore(dir.resolve("home")).latest("mnist-lenet").orElseThrow();
  }

  private JsonNode api(String pathAndQuery) throws Exception {
    var response = server.get("/api/2.0/mlflow/" + pathAndQuery);
    assertEquals(200, response.statusCode(), pathAndQuery + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Map<String, String> keyValues(JsonNode array) {
    Map<String, String> map = new TreeMap<>();
    array.forEach(e -> map.put(e.get("key").asText(), e.get("value").asText()));
    return map;
  }

  /** Every file under {@code path} of the run's artifacts, listed through the server. */
  private List<String> artifacts(String runId, String path) throws Exception {
    List<String> files = new ArrayList<>();
    JsonNode listing = api("artifacts/list?run_id=" + runId + (path.isEmpty() ? "" : "&path=" + q(path)));
    for (JsonNode file : listing.path("files")) {
      if (file.path("is_dir").asBoolean()) {
        files.addAll(artifacts(runId, file.get("path").asText()));
      } else {
        files.add(file.get("path").asText());
      }
    }
    return files;
  }

  @Test
  void serverHasParamsHistoriesTagsArtifactsAndCachedStagesAreTaggedNotRelogged() throws Exception {
    RunRecord first = run();
    JsonNode run = api("runs/get?run_id=" + first.trackedRunId).get("run");
    assertEquals("FINISHED", run.at("/info/status").asText());
    assertTrue(run.at("/info/end_time").asLong() > 0);
    assertTrue(run.at("/info/artifact_uri").asText().startsWith("mlflow-artifacts:/"),
        run.at("/info/artifact_uri").asText());

    Map<String, String> params = keyValues(run.at("/data/params"));
    assertEquals("1", params.get("train.epochs"));
    assertEquals("2000", params.get("ingest.limit"));
    assertEquals("lenet", params.get("train.model.architecture"));
    // The flattened specs, plus what the train stage resolved (devices, effective batch and learning rate).
    Map<String, String> expectedParams = new java.util.TreeMap<>(first.params);
    expectedParams.put("train.devices", params.get("train.devices"));
    expectedParams.put("train.effective_batch_size", "128");
    expectedParams.put("train.effective_learning_rate", "0.001");
    assertEquals(expectedParams, new java.util.TreeMap<>(params),
        "the flattened specs and the resolved training setup");
    assertTrue(params.get("train.devices").startsWith("auto -> [cpu()]"), params.get("train.devices"));

    Map<String, String> tags = keyValues(run.at("/data/tags"));
    assertEquals(first.runId, tags.get(SystemTags.RUN_NAME));
    assertEquals(System.getProperty("user.name"), tags.get(SystemTags.USER));
    assertEquals("tessera run mnist-lenet", tags.get(SystemTags.SOURCE_NAME));
    assertEquals("LOCAL", tags.get(SystemTags.SOURCE_TYPE));
    SystemTags.gitCommit(Path.of(System.getProperty("user.dir")))
        .ifPresent(commit -> assertEquals(commit, tags.get(SystemTags.GIT_COMMIT)));
    assertEquals(first.runId, tags.get("tessera.run_id"));
    assertEquals("mnist-lenet", tags.get("tessera.experiment"));
    assertFalse(tags.keySet().stream().anyMatch(k -> k.startsWith("tessera.cached.")), tags.toString());

    // The whole history of train/loss, one point per logged step, in order.
    JsonNode history = api("metrics/get-history?run_id=" + first.trackedRunId + "&metric_key=" + q("train/loss")
        + "&max_results=10000").get("metrics");
    List<Long> steps = new ArrayList<>();
    history.forEach(point -> steps.add(point.get("step").asLong()));
    assertEquals(List.of(2L, 4L, 6L, 8L, 10L, 12L, 14L), steps.subList(0, Math.min(7, steps.size())),
        "train/loss every 2 steps: " + history);
    assertEquals(steps.stream().distinct().count(), steps.size(), "no duplicate points: " + history);
    Map<String, Double> metrics = new TreeMap<>();
    run.at("/data/metrics").forEach(m -> metrics.put(m.get("key").asText(), m.get("value").asDouble()));
    assertEquals(first.stages.get("evaluate").summary.get("accuracy"), metrics.get("evaluate/accuracy"), 1e-12);
    assertTrue(metrics.containsKey("train/loss") && metrics.containsKey("evaluate/accuracy"), metrics.toString());

    List<String> files = artifacts(first.trackedRunId, "");
    for (String expected : List.of("spec.json", "train/model/MLmodel", "train/model/training_curves.png",
        "evaluate/confusion_matrix.png", "evaluate/metrics.json")) {
      assertTrue(files.contains(expected), expected + " in " + files);
    }
    var spec = server.get("/api/2.0/mlflow-artifacts/artifacts/" + run.at("/info/experiment_id").asText() + "/"
        + first.trackedRunId + "/artifacts/spec.json");
    assertEquals(200, spec.statusCode());
    assertTrue(spec.body().contains("\"mnist-lenet\""), spec.body());
    try (var spool = Files.list(dir.resolve("home/spool"))) {
      assertEquals(List.of(), spool.toList(), "the spool was delivered and removed");
    }

    // Second run: ingest and preprocess come from the cache, tagged with the run that produced them.
    RunRecord second = run("--set", "train.optimizer.learningRate=0.002");
    assertEquals(StageStatus.CACHED, second.stages.get("ingest").status);
    assertEquals(StageStatus.CACHED, second.stages.get("preprocess").status);
    JsonNode again = api("runs/get?run_id=" + second.trackedRunId).get("run");
    assertEquals("FINISHED", again.at("/info/status").asText());
    Map<String, String> tags2 = keyValues(again.at("/data/tags"));
    assertEquals(first.runId, tags2.get("tessera.cached.ingest"), tags2.toString());
    assertEquals(first.runId, tags2.get("tessera.cached.preprocess"), tags2.toString());
    assertFalse(tags2.containsKey("tessera.cached.train"));
    List<String> metricKeys = new ArrayList<>();
    again.at("/data/metrics").forEach(m -> metricKeys.add(m.get("key").asText()));
    assertFalse(metricKeys.stream().anyMatch(k -> k.startsWith("ingest/") || k.startsWith("preprocess/")),
        "cached stages are not logged again: " + metricKeys);
    List<String> files2 = artifacts(second.trackedRunId, "");
    assertFalse(files2.stream().anyMatch(f -> f.startsWith("ingest/") || f.startsWith("preprocess/")),
        files2.toString());
    assertTrue(files2.contains("train/model/MLmodel"), files2.toString());
    assertEquals("0.002", keyValues(again.at("/data/params")).get("train.optimizer.learningRate"));
  }
}
