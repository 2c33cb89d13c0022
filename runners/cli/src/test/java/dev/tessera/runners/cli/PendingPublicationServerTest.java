package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.runners.cli.InProcessTessera.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MLflow server that goes away after a run's stages and before its model is registered and judged, against a
 * real server: the run still exits 0 and leaves its publication pending; once the server is back,
 * {@code tessera mlflow flush} lists it and {@code tessera resume} completes it, measuring the champion on the
 * run's data as the run would have, without a second version or a second decision.
 */
class PendingPublicationServerTest {
  private static final String GATE = "evaluate/accuracy:max:0.001";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private MlflowServer server;

  @AfterEach
  void tearDown() {
    RunPublication.beforeRegistering = () -> {};
    if (server != null) {
      server.close();
    }
  }

  /** A SQLite-backed server that starts again on the same port and backend: the same server for its clients. */
  static final class RestartableServer {
    private final Path db;
    private final Path artifacts;
    private final int port = MlflowServer.freePort();

    RestartableServer(Path dir) {
      this.db = dir.resolve("server/mlflow.db");
      this.artifacts = dir.resolve("server/artifacts");
    }

    MlflowServer start() {
      return MlflowServer.sqlite(db, artifacts, port);
    }
  }

  private Result tessera(String... args) {
    Map<String, String> environment = new TreeMap<>();
    environment.put("MLFLOW_TRACKING_URI", server.uri().toString());
    return InProcessTessera.run(dir.resolve("home"), environment, args);
  }

  private Result run(String file, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", file, "--promote-if", GATE, "--plain"));
    args.addAll(List.of(extra));
    Result result = tessera(args.toArray(String[]::new));
    assertEquals(0, result.exitCode(), result.out() + result.err());
    return result;
  }

  private static String runId(Result result) {
    return result.out().lines().filter(l -> l.startsWith("Run ") && l.contains(" of ")).reduce((a, b) -> b)
        .orElseThrow().split(" ")[1];
  }

  private JsonNode api(String pathAndQuery) throws Exception {
    return JSON.readTree(server.get("/api/2.0/mlflow/" + pathAndQuery).body());
  }

  @Test
  void anOutageAtRegistrationLeavesThePublicationPendingAndResumeCompletesItOnce() throws Exception {
    RestartableServer restartable = new RestartableServer(dir);
    server = restartable.start();
    String file = UserExperimentCliTest.writeUserFolder(dir).toString();

    Result first = run(file);
    assertTrue(first.out().contains("promoted version 1: no champion yet"), first.out());

    // The second run trains again (a tie with the champion); the server goes away once its stages are done
    // and its dataset inputs logged, as it is about to register the model.
    RunPublication.beforeRegistering = () -> server.close();
    Result second = run(file, "--no-cache");
    RunPublication.beforeRegistering = () -> {};
    String id = runId(second);
    Path runDirectory = dir.resolve("home/runs").resolve(id);
    assertTrue(second.out().contains("Run " + id + " succeeded, but the registration and promotion gate "
        + "(--promote-if " + GATE + ") of its model is pending: MLflow server " + server.uri()), second.out());
    assertTrue(second.out().contains("Complete it once the server is back: tessera resume " + id), second.out());
    assertTrue(Files.isRegularFile(runDirectory.resolve(PendingPublication.FILE_NAME)));
    assertFalse(Files.exists(runDirectory.resolve("gate.json")));

    server = restartable.start();
    Result flush = tessera("mlflow", "flush");
    assertTrue(flush.out().contains("Run " + id + ": the registration and promotion gate (--promote-if " + GATE
        + ") of its model is pending; complete it with: tessera resume " + id), flush.out() + flush.err());

    Result resumed = tessera("resume", id);
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("Registered shapes version 2 as challenger; kept the champion; version 2: "
        + "evaluate/accuracy"), resumed.out());
    assertTrue(resumed.out().contains("(measured again on the same data)"), resumed.out());
    assertFalse(Files.exists(runDirectory.resolve(PendingPublication.FILE_NAME)));
    assertTrue(Files.isRegularFile(runDirectory.resolve("gate.json")));

    // A completion interrupted after the gate decided (the marker still there) does not decide again.
    Files.delete(runDirectory.resolve("gate.json"));
    new PendingPublication("shapes", false, GATE, trackedRunId(id),
        "train/model", 0.5, null, null, "test").write(runDirectory);
    Result again = tessera("resume", id);
    assertEquals(0, again.exitCode(), again.out() + again.err());
    assertTrue(again.out().contains("Registered shapes version 2 as challenger; the gate had decided already: kept"),
        again.out());

    JsonNode versions = api("model-versions/search?filter=" + java.net.URLEncoder.encode("name='shapes'",
        java.nio.charset.StandardCharsets.UTF_8)).path("model_versions");
    assertEquals(2, versions.size(), versions.toString());
    assertEquals("1", api("registered-models/alias?name=shapes&alias=champion").at("/model_version/version")
        .asText());
    JsonNode version2 = api("model-versions/get?name=shapes&version=2").path("model_version");
    assertTrue(version2.path("aliases").toString().contains("challenger"), version2.toString());
    assertTrue(version2.path("tags").toString().contains("\"kept\""), version2.toString());
  }

  @Test
  void aPendingRegistrationWithoutAGateIsCompletedByResumeIntoExactlyOneVersion() throws Exception {
    RestartableServer restartable = new RestartableServer(dir);
    server = restartable.start();
    String file = UserExperimentCliTest.writeUserFolder(dir).toString();

    RunPublication.beforeRegistering = () -> server.close();
    Result run = tessera("run", file, "--register", "--plain");
    RunPublication.beforeRegistering = () -> {};
    assertEquals(0, run.exitCode(), run.out() + run.err());
    String id = runId(run);
    Path runDirectory = dir.resolve("home/runs").resolve(id);
    assertTrue(run.out().contains("Run " + id + " succeeded, but the registration of its model is pending: MLflow "
        + "server " + server.uri()), run.out());

    server = restartable.start();
    Result resumed = tessera("resume", id);
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    String registered = "Registered shapes version 1 (train/model of MLflow run " + trackedRunId(id) + ").";
    assertTrue(resumed.out().contains(registered), resumed.out());
    assertFalse(Files.exists(runDirectory.resolve(PendingPublication.FILE_NAME)));

    // A completion interrupted after the server registered the model (the marker still there) adds no version.
    new PendingPublication("shapes", true, null, trackedRunId(id), "train/model", null, null, null, "test")
        .write(runDirectory);
    Result again = tessera("resume", id);
    assertEquals(0, again.exitCode(), again.out() + again.err());
    assertTrue(again.out().contains(registered), again.out());

    JsonNode versions = api("model-versions/search?filter=" + java.net.URLEncoder.encode("name='shapes'",
        java.nio.charset.StandardCharsets.UTF_8)).path("model_versions");
    assertEquals(1, versions.size(), versions.toString());
    assertFalse(Files.exists(runDirectory.resolve("gate.json")), "no gate, no decision");
  }

  private String trackedRunId(String runId) throws Exception {
    return JSON.readTree(dir.resolve("home/runs").resolve(runId).resolve("run.json").toFile()).path("trackedRunId")
        .asText();
  }
}
