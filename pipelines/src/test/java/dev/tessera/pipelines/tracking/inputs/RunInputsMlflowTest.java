package dev.tessera.pipelines.tracking.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.testing.MlflowServerFixture;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.server.ServerSettings;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import dev.tessera.pipelines.tracking.server.SpoolFlush;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dataset inputs as the real MLflow Python client (3.17.2) reads them, from ./mlruns and from a server, also when
 * the server was down as they were logged (spooled, then sent by {@link SpoolFlush}).
 */
class RunInputsMlflowTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private List<DatasetInput> digits() {
    DatasetManifest manifest = DatasetManifest.of("digits", List.of("0", "1"), Map.of(
        "train", List.of(new ShardInfo("train-0.arrow", 40, "a".repeat(64)),
            new ShardInfo("train-1.arrow", 24, "b".repeat(64))),
        "test", List.of(new ShardInfo("test-0.arrow", 16, "c".repeat(64)))));
    return ShardDatasets.inputs(manifest, "folder:" + tmp.resolve("digits data"));
  }

  @Test
  void fileStoreInputsAreReadByTheMlflowClient() throws IOException {
    Path store = tmp.resolve("mlruns");
    TrackedRun run = FileStoreTracker.at(store).startRun("digits-exp", "r1", Map.of());
    run.end(RunStatus.FINISHED);
    FileStoreInputs.at(store).log(run.id(), digits());
    FileStoreInputs.at(store).log(run.id(), digits()); // again: nothing new

    JsonNode out = read(run.id(), Map.of("MLFLOW_ALLOW_FILE_STORE", "true",
        "MLFLOW_TRACKING_URI", store.toUri().toString()));
    assertDigits(out);
  }

  @Test
  void serverInputsAreReadByTheMlflowClient() throws IOException {
    try (MlflowServer server = MlflowServer.sqlite(tmp.resolve("db/mlflow.db"), tmp.resolve("db/artifacts"));
        ServerTracker tracker =
            ServerTracker.connect(MlflowServerFixture.clientSettings(server.uri(), tmp.resolve("spool")))) {
      TrackedRun run = tracker.startRun("digits-exp", "r1", Map.of());
      run.end(RunStatus.FINISHED);
      ServerInputs.of(tracker).log(run.id(), digits());
      ServerInputs.of(tracker).log(run.id(), digits());

      assertDigits(read(run.id(), Map.of("MLFLOW_TRACKING_URI", server.uri().toString())));
    }
  }

  @Test
  void serverInputsLoggedWhileTheServerIsDownAreSentByFlushOnceAndTheRunStaysFinished() throws IOException {
    int port = MlflowServer.freePort();
    Path db = tmp.resolve("db/mlflow.db");
    Path artifacts = tmp.resolve("db/artifacts");
    Path spool = tmp.resolve("spool");
    ServerSettings settings = MlflowServerFixture.clientSettings(URI.create("http://127.0.0.1:" + port), spool);
    String runId;
    try (MlflowServer server = MlflowServer.sqlite(db, artifacts, port);
        ServerTracker tracker = ServerTracker.connect(settings)) {
      TrackedRun run = tracker.startRun("digits-exp", "r1", Map.of());
      runId = run.id();
      run.end(RunStatus.FINISHED);
    }
    // The server is down now: the run's stages are over, its inputs are logged. A refused connection is not
    // waited for: with an end timeout of an hour, logging still returns (bound generous, far below the hour).
    ServerSettings impatient = settings.withEndTimeout(Duration.ofMillis(200));
    assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
      try (ServerTracker tracker = ServerTracker.unchecked(settings.withEndTimeout(Duration.ofHours(1)))) {
        ServerInputs.of(tracker).log(runId, digits());
        ServerInputs.of(tracker).log(runId, digits()); // the next run's publication, say: queued behind the first
      }
    });
    assertTrue(Files.exists(spool.resolve(runId + ".jsonl")), "the inputs wait in the run's spool");
    List<SpoolFlush.Result> away = SpoolFlush.flushAll(impatient, Duration.ofMillis(200));
    assertEquals(List.of(SpoolFlush.Outcome.INCOMPLETE), away.stream().map(SpoolFlush.Result::outcome).toList());

    try (MlflowServer server = MlflowServer.sqlite(db, artifacts, port)) {
      List<SpoolFlush.Result> results = SpoolFlush.flushAll(settings, Duration.ofSeconds(60));
      assertEquals(1, results.size(), results.toString());
      assertEquals(SpoolFlush.Outcome.FLUSHED, results.get(0).outcome(), results.toString());
      assertEquals(2, results.get(0).sent(), "both spooled log-inputs requests");
      assertFalse(results.get(0).endedAsKilled(), "the run had ended: its inputs' spool has no end by design");
      try (var left = Files.list(spool)) {
        assertEquals(List.of(), left.toList(), "a flushed spool is deleted");
      }
      JsonNode info = JSON.readTree(server.get("/api/2.0/mlflow/runs/get?run_id=" + runId).body())
          .at("/run/info");
      assertEquals("FINISHED", info.path("status").asText(), info.toString());
      assertDigits(read(runId, Map.of("MLFLOW_TRACKING_URI", server.uri().toString())));
    }
  }

  @Test
  void rejectsADigestLongerThanMlflowAllows() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DatasetInput("d", "x".repeat(37), "local", "{}", null, "train"));
    assertEquals("dataset input digest of 'd' must be 1-36 characters (MLflow's limit), but was '" + "x".repeat(37)
        + "'; shorten it, for example to the first 16 hex digits.", e.getMessage());
  }

  private static void assertDigits(JsonNode out) {
    JsonNode inputs = out.get("inputs");
    assertEquals(2, inputs.size(), out.toString());
    JsonNode test = inputs.get(0);
    JsonNode train = inputs.get(1);
    assertEquals("test", test.get("context").asText());
    assertEquals("train", train.get("context").asText());
    assertEquals("digits", train.get("name").asText());
    assertEquals(16, train.get("digest").asText().length());
    assertNotEquals(train.get("digest").asText(), test.get("digest").asText());
    assertEquals("local", train.get("source_type").asText());
    assertEquals(true, train.get("source").asText().contains("digits%20data"), train.toString());
    // MLflow's own schema parser accepts the column spec.
    assertEquals(List.of("id", "image", "height", "width", "channels", "dtype", "layout", "encoded", "label",
        "boxes", "mask", "source", "split"), JSON.convertValue(train.get("columns"), List.class));
  }

  private JsonNode read(String runId, Map<String, String> env) throws IOException {
    Path script = Files.writeString(tmp.resolve("read_inputs.py"), String.join("\n",
        "import json, sys",
        "from mlflow import MlflowClient",
        "from mlflow.types import Schema",
        "run = MlflowClient().get_run(sys.argv[1])",
        "out = []",
        "for i in run.inputs.dataset_inputs:",
        "    d = i.dataset",
        "    out.append({'name': d.name, 'digest': d.digest, 'source_type': d.source_type, 'source': d.source,",
        "        'context': {t.key: t.value for t in i.tags}.get('mlflow.data.context'),",
        "        'columns': Schema.from_json(json.dumps(json.loads(d.schema)['mlflow_colspec'])).input_names()})",
        "print(json.dumps({'inputs': sorted(out, key=lambda x: x['context'])}))",
        ""));
    String stdout = PythonEnv.get().run(script, List.of(runId), env);
    return JSON.readTree(stdout.substring(stdout.indexOf('{')));
  }
}
