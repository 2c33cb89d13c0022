package dev.tessera.pipelines.tracking.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import dev.tessera.pipelines.tracking.server.Credentials;
import dev.tessera.pipelines.tracking.server.ServerSettings;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registered models, versions, tags and aliases as the real MLflow Python client (3.17.2) reads them back. */
class ModelRegistryMlflowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "mnist-lenet";

  @TempDir
  Path tmp;

  @Test
  void fileStoreRegistryIsReadByTheMlflowClient() throws IOException {
    Path store = tmp.resolve("mlruns");
    FileStoreTracker tracker = FileStoreTracker.at(store);
    ModelRegistry registry = FileStoreRegistry.at(store);

    Written written = registerTwo(tracker, registry);

    JsonNode out = readWithPython(Map.of("MLFLOW_ALLOW_FILE_STORE", "true",
        "MLFLOW_TRACKING_URI", store.toUri().toString(), "MLFLOW_REGISTRY_URI", store.toUri().toString()));
    assertReadBack(out, written);
    assertTrue(out.at("/versions/0/source").asText().startsWith("file:///"), out.toString());
    assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(out.at("/champion/source").asText()))
        .resolve("MLmodel")), "the champion's source is the run's model folder");
  }

  @Test
  void serverRegistryIsReadByTheMlflowClient() throws IOException {
    try (MlflowServer server = MlflowServer.sqlite(tmp.resolve("db/mlflow.db"), tmp.resolve("db/artifacts"));
        ServerTracker tracker = ServerTracker.connect(ServerSettings.of(server.uri(), Credentials.none(),
            tmp.resolve("spool")).withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)))) {
      ModelRegistry registry = ServerRegistry.of(tracker);

      Written written = registerTwo(tracker, registry);

      JsonNode out = readWithPython(Map.of("MLFLOW_TRACKING_URI", server.uri().toString()));
      assertReadBack(out, written);
      assertTrue(out.at("/champion/source").asText().startsWith("mlflow-artifacts:/"), out.toString());
    }
  }

  @Test
  void rejectsAnAliasMlflowReserves() {
    ModelRegistry registry = FileStoreRegistry.at(tmp.resolve("mlruns"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> registry.setAlias(MODEL, "latest", 1));
    assertTrue(e.getMessage().contains("'latest'"), e.getMessage());
  }

  @Test
  void refusesARunWithoutAModel() {
    Path store = tmp.resolve("mlruns");
    TrackedRun run = FileStoreTracker.at(store).startRun(MODEL, "r", Map.of());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FileStoreRegistry.at(store).register(MODEL, run.id(), "train/model", Map.of()));
    assertTrue(e.getMessage().contains("no MLmodel file"), e.getMessage());
  }

  private record Written(String firstRun, String secondRun) {}

  /** Two runs, each with a model; both registered; champion -> version 1, challenger -> version 2. */
  private Written registerTwo(Tracker tracker, ModelRegistry registry) throws IOException {
    String[] runIds = new String[2];
    for (int i = 0; i < 2; i++) {
      TrackedRun run = tracker.startRun(MODEL, "run-" + i, SystemTags.of("run-" + i, "test", tmp));
      Path model = Files.createDirectories(tmp.resolve("model-" + i));
      Files.writeString(model.resolve("MLmodel"), "artifact_path: model\nflavors:\n  tessera:\n    format: djl\n");
      Files.writeString(model.resolve("weights.bin"), "w" + i);
      run.logArtifact(model, "train/model");
      run.end(RunStatus.FINISHED);
      runIds[i] = run.id();
    }
    ModelVersion first = registry.register(MODEL, runIds[0], "train/model", Map.of("tessera.run_id", "run-0"));
    ModelVersion second = registry.register(MODEL, runIds[1], "train/model", Map.of());
    assertEquals(1, first.version());
    assertEquals(2, second.version());
    registry.setAlias(MODEL, ModelRegistry.CHAMPION, 1);
    registry.setAlias(MODEL, ModelRegistry.CHALLENGER, 2);
    registry.setVersionTags(MODEL, 2, Map.of("tessera.gate.decision", "kept"));
    assertEquals(2, registry.byAlias(MODEL, ModelRegistry.CHALLENGER).orElseThrow().version());
    assertEquals(List.of(ModelRegistry.CHAMPION), registry.version(MODEL, 1).orElseThrow().aliases());
    assertTrue(registry.byAlias(MODEL, "nobody").isEmpty());
    assertTrue(registry.version(MODEL, 9).isEmpty());
    return new Written(runIds[0], runIds[1]);
  }

  private static void assertReadBack(JsonNode out, Written written) {
    assertEquals(MODEL, out.at("/model/name").asText());
    assertEquals("1", out.at("/model/aliases/champion").asText(), out.toString());
    assertEquals("2", out.at("/model/aliases/challenger").asText(), out.toString());
    assertEquals(2, out.get("versions").size(), out.toString());
    assertEquals("1", out.at("/versions/0/version").asText());
    assertEquals(written.firstRun(), out.at("/versions/0/run_id").asText());
    assertEquals(written.secondRun(), out.at("/versions/1/run_id").asText());
    assertEquals("run-0", out.at("/versions/0/tags/tessera.run_id").asText());
    assertEquals("kept", out.at("/versions/1/tags/tessera.gate.decision").asText());
    assertEquals("READY", out.at("/versions/1/status").asText());
    assertEquals("1", out.at("/champion/version").asText());
    assertEquals(written.firstRun(), out.at("/champion/run_id").asText());
    assertEquals("[\"champion\"]", out.at("/champion/aliases").toString());
  }

  private JsonNode readWithPython(Map<String, String> env) throws IOException {
    Path script = Files.writeString(tmp.resolve("read_registry.py"), String.join("\n",
        "import json, sys",
        "from mlflow import MlflowClient",
        "c = MlflowClient()",
        "name = sys.argv[1]",
        "m = c.get_registered_model(name)",
        "def mv(v):",
        "    return {'version': str(v.version), 'run_id': v.run_id, 'source': v.source, 'status': v.status,",
        "            'tags': dict(v.tags), 'aliases': sorted(v.aliases)}",
        "versions = sorted(c.search_model_versions(f\"name='{name}'\"), key=lambda v: int(v.version))",
        "print(json.dumps({'model': {'name': m.name, 'aliases': dict(m.aliases)},",
        "    'versions': [mv(v) for v in versions],",
        "    'champion': mv(c.get_model_version_by_alias(name, 'champion'))}))",
        ""));
    String stdout = PythonEnv.get().run(script, List.of(MODEL), env);
    return JSON.readTree(stdout.substring(stdout.indexOf('{')));
  }
}
