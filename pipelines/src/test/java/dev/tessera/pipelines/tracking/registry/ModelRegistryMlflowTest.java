package dev.tessera.pipelines.tracking.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServerFixture;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Registered models, versions, tags and aliases as the real MLflow Python client (3.17.2) reads them back. */
class ModelRegistryMlflowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "mnist-lenet";

  @RegisterExtension
  static final MlflowServerFixture MLFLOW = new MlflowServerFixture();

  @TempDir
  Path tmp;

  private ServerTracker connect() {
    return ServerTracker.connect(MLFLOW.settings(tmp.resolve("spool")));
  }

  @Test
  void fileStoreRegistryIsReadByTheMlflowClient() throws IOException {
    Path store = tmp.resolve("mlruns");
    FileStoreTracker tracker = FileStoreTracker.at(store);
    ModelRegistry registry = FileStoreRegistry.at(store);

    Written written = registerTwo(tracker, registry, MODEL);

    JsonNode out = readWithPython(MODEL, Map.of("MLFLOW_ALLOW_FILE_STORE", "true",
        "MLFLOW_TRACKING_URI", store.toUri().toString(), "MLFLOW_REGISTRY_URI", store.toUri().toString()));
    assertReadBack(out, written);
    assertTrue(out.at("/versions/0/source").asText().startsWith("file:///"), out.toString());
    assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(out.at("/champion/source").asText()))
        .resolve("MLmodel")), "the champion's source is the run's model folder");
  }

  @Test
  void serverRegistryIsReadByTheMlflowClient() throws IOException {
    try (ServerTracker tracker = connect()) {
      ModelRegistry registry = ServerRegistry.of(tracker);

      Written written = registerTwo(tracker, registry, MODEL);

      JsonNode out = readWithPython(MODEL, Map.of("MLFLOW_TRACKING_URI", MLFLOW.server().uri().toString()));
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

  @Test
  void serverRegistryRefusesARunWhoseModelIsNotOnTheServer() {
    try (ServerTracker tracker = connect()) {
      TrackedRun run = tracker.startRun(MODEL, "r", Map.of());
      run.end(RunStatus.FINISHED);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ServerRegistry.of(tracker).register(MODEL, run.id(), "train/model", Map.of()));
      assertTrue(e.getMessage().contains("has no model at artifact path 'train/model' on " + MLFLOW.server().uri())
          && e.getMessage().contains("tessera mlflow flush"), e.getMessage());
    }
  }

  @Test
  void serverRegistryRegistersARunsModelOnlyOnceWhenTheRegistrationIsRetried() throws IOException {
    try (ServerTracker tracker = connect()) {
      String name = "retried";
      ModelRegistry registry = ServerRegistry.of(tracker);
      String runId = trainedRun(tracker, name, 0);
      ModelVersion first = registry.register(name, runId, "train/model", Map.of());
      ModelVersion again = registry.register(name, runId, "train/model", Map.of());
      assertEquals(1, first.version());
      assertEquals(1, again.version(), "the same run's model is not registered twice");
      assertTrue(registry.version(name, 2).isEmpty());
      ModelVersion other = registry.register(name, trainedRun(tracker, name, 1), "train/model", Map.of());
      assertEquals(2, other.version(), "another run's model is a new version");
    }
  }

  @Test
  void fileStoreRegistryRegistersARunsModelOnlyOnceWhenTheRegistrationIsRetried() throws IOException {
    Path store = tmp.resolve("mlruns");
    FileStoreTracker tracker = FileStoreTracker.at(store);
    String name = "retried-file";
    ModelRegistry registry = FileStoreRegistry.at(store);
    String runId = trainedRun(tracker, name, 0);
    ModelVersion first = registry.register(name, runId, "train/model", Map.of());
    ModelVersion again = FileStoreRegistry.at(store).register(name, runId, "train/model", Map.of());
    assertEquals(1, first.version());
    assertEquals(1, again.version(), "the same run's model is not registered twice");
    String otherRun = trainedRun(tracker, name, 1);
    assertEquals(2, registry.register(name, otherRun, "train/model", Map.of()).version(),
        "another run's model is a new version");
    registry.setAlias(name, ModelRegistry.CHAMPION, 1);

    JsonNode out = readWithPython(name, Map.of("MLFLOW_ALLOW_FILE_STORE", "true",
        "MLFLOW_TRACKING_URI", store.toUri().toString(), "MLFLOW_REGISTRY_URI", store.toUri().toString()));
    assertEquals(2, out.get("versions").size(), out.toString());
    assertEquals(runId, out.at("/versions/0/run_id").asText(), out.toString());
    assertEquals(otherRun, out.at("/versions/1/run_id").asText(), out.toString());
  }

  private record Written(String firstRun, String secondRun) {}

  /** Two runs, each with a model; both registered; champion -> version 1, challenger -> version 2. */
  private Written registerTwo(Tracker tracker, ModelRegistry registry, String name) throws IOException {
    String[] runIds = {trainedRun(tracker, name, 0), trainedRun(tracker, name, 1)};
    ModelVersion first = registry.register(name, runIds[0], "train/model", Map.of("tessera.run_id", "run-0"));
    ModelVersion second = registry.register(name, runIds[1], "train/model", Map.of());
    assertEquals(1, first.version());
    assertEquals(2, second.version());
    registry.setAlias(name, ModelRegistry.CHAMPION, 1);
    registry.setAlias(name, ModelRegistry.CHALLENGER, 2);
    registry.setVersionTags(name, 2, Map.of("tessera.gate.decision", "kept"));
    assertEquals(2, registry.byAlias(name, ModelRegistry.CHALLENGER).orElseThrow().version());
    assertEquals(List.of(ModelRegistry.CHAMPION), registry.version(name, 1).orElseThrow().aliases());
    assertTrue(registry.byAlias(name, "nobody").isEmpty());
    assertTrue(registry.version(name, 9).isEmpty());
    return new Written(runIds[0], runIds[1]);
  }

  /** A finished run of experiment {@code name} that logged a model directory at {@code train/model}. */
  private String trainedRun(Tracker tracker, String name, int i) throws IOException {
    TrackedRun run = tracker.startRun(name, "run-" + i, SystemTags.of("run-" + i, "test", tmp));
    Path model = Files.createDirectories(tmp.resolve(name + "-model-" + i));
    Files.writeString(model.resolve("MLmodel"), "artifact_path: model\nflavors:\n  tessera:\n    format: djl\n");
    Files.writeString(model.resolve("weights.bin"), "w" + i);
    run.logArtifact(model, "train/model");
    run.end(RunStatus.FINISHED);
    return run.id();
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

  private JsonNode readWithPython(String name, Map<String, String> env) throws IOException {
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
        "runs = {f'run_of_version_{v.version}': dict(c.get_run(v.run_id).data.tags) for v in versions}",
        "print(json.dumps({'model': {'name': m.name, 'aliases': dict(m.aliases)}, **runs,",
        "    'versions': [mv(v) for v in versions],",
        "    'champion': mv(c.get_model_version_by_alias(name, 'champion'))}))",
        ""));
    String stdout = PythonEnv.get().run(script, List.of(name), env);
    return JSON.readTree(stdout.substring(stdout.indexOf('{')));
  }

  @Test
  void gatePromotesOnlyABetterModelInTheFileStore() throws IOException {
    Path store = tmp.resolve("mlruns");
    String name = "gate-file";
    JsonNode out = threeNights(FileStoreTracker.at(store), FileStoreRegistry.at(store), name,
        Map.of("MLFLOW_ALLOW_FILE_STORE", "true", "MLFLOW_TRACKING_URI", store.toUri().toString()));
    assertNightsDecided(out);
  }

  @Test
  void gatePromotesOnlyABetterModelOnAServer() throws IOException {
    try (ServerTracker tracker = connect()) {
      JsonNode out = threeNights(tracker, ServerRegistry.of(tracker), "gate-server",
          Map.of("MLFLOW_TRACKING_URI", MLFLOW.server().uri().toString()));
      assertNightsDecided(out);
    }
  }

  /**
   * A first model (0.90) becomes champion; then a better (0.95), a worse (0.93) and an equal (0.95) one. The gate
   * wants 0.001 more accuracy.
   */
  private JsonNode threeNights(Tracker tracker, ModelRegistry registry, String name, Map<String, String> env)
      throws IOException {
    PromotionGate gate = new PromotionGate(GateSpec.parse("evaluate/accuracy:max:0.001"));
    double[] accuracy = {0.90, 0.95, 0.93, 0.95};
    boolean[] promoted = {true, true, false, false};
    for (int night = 0; night < accuracy.length; night++) {
      String runId = trainedRun(tracker, name, night);
      GateDecision decision = gate.registerAndDecide(registry, name, runId, "train/model", accuracy[night],
          java.util.OptionalDouble.empty());
      assertEquals(promoted[night], decision.promoted(), decision.describe());
      assertEquals(night + 1, decision.challengerVersion());
    }
    assertEquals(2, registry.byAlias(name, ModelRegistry.CHAMPION).orElseThrow().version());
    assertEquals(4, registry.byAlias(name, ModelRegistry.CHALLENGER).orElseThrow().version());
    return readWithPython(name, env);
  }

  private static void assertNightsDecided(JsonNode out) {
    assertEquals("2", out.at("/champion/version").asText(), out.toString());
    assertEquals("4", out.at("/model/aliases/challenger").asText(), out.toString());
    assertEquals("promoted", out.at("/versions/1/tags/tessera.gate.decision").asText());
    assertEquals("kept", out.at("/versions/2/tags/tessera.gate.decision").asText());
    assertEquals("kept", out.at("/versions/3/tags/tessera.gate.decision").asText());
    assertEquals("0.95", out.at("/versions/3/tags/tessera.gate.challenger_value").asText());
    assertEquals("0.95", out.at("/versions/3/tags/tessera.gate.champion_value").asText());
    assertEquals("2", out.at("/versions/3/tags/tessera.gate.champion_version").asText());
    assertTrue(out.at("/versions/3/tags/tessera.gate.reason").asText().contains("ties keep the champion"),
        out.toString());
    assertEquals("kept", out.at("/run_of_version_4/tessera.gate.decision").asText(), out.toString());
    assertEquals("0.93", out.at("/run_of_version_3/tessera.gate.challenger_value").asText(), out.toString());
  }

  @Test
  void resolvesTheChampionToItsFilesInTheFileStore() throws IOException {
    Path store = tmp.resolve("mlruns");
    ModelRegistry registry = FileStoreRegistry.at(store);
    registerTwo(FileStoreTracker.at(store), registry, "resolve-file");

    ResolvedModel champion = new ModelResolver(registry, tmp.resolve("cache"))
        .resolve(ModelReference.parse("champion:resolve-file"));

    assertEquals(1, champion.version().version());
    assertEquals("w0", Files.readString(champion.directory().resolve("weights.bin")));
    assertTrue(champion.directory().startsWith(store), "read in place: " + champion.directory());
  }

  @Test
  void downloadsTheChampionOfAServerOnceIntoTheCache() throws IOException {
    try (ServerTracker tracker = connect()) {
      ModelRegistry registry = ServerRegistry.of(tracker);
      registerTwo(tracker, registry, "resolve-server");
      ModelResolver resolver = new ModelResolver(registry, tmp.resolve("cache"));

      ResolvedModel challenger = resolver.resolve(ModelReference.parse("models:/resolve-server@challenger"));
      ResolvedModel again = resolver.resolve(ModelReference.parse("models:/resolve-server/2"));

      assertEquals(2, challenger.version().version());
      assertEquals("w1", Files.readString(challenger.directory().resolve("weights.bin")));
      assertTrue(Files.readString(challenger.directory().resolve("MLmodel")).contains("tessera"));
      assertEquals(tmp.resolve("cache/resolve-server/2"), challenger.directory());
      assertEquals(challenger.directory(), again.directory());
      IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
          () -> resolver.resolve(ModelReference.parse("staging:resolve-server")));
      assertTrue(missing.getMessage().startsWith("no version with alias 'staging' of registered model "
          + "'resolve-server' in http://"), missing.getMessage());
    }
  }
}
