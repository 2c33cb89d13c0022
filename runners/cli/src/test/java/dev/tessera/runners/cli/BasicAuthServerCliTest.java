package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.runners.cli.InProcessTessera.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real MLflow server running its basic-auth app ({@code mlflow server --app-name basic-auth}):
 * a wrong password and a user without write permission fail before any stage with a message that names the user
 * and never the password; the right password logs the run; the password is in no param, tag, artifact, output line
 * or file written by Tessera or the server.
 */
class BasicAuthServerCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_PASSWORD = "admin-Pass-9f3c2a71e";
  private static final String ALICE_PASSWORD = "alice-Pass-4b8d1e0c7";
  private static final String BOB_PASSWORD = "bob-Pass-77c1a9e2d0";
  private static final String[] FAST_DEMO = {"--set", "numbers.millisPerItem=0", "--set", "squares.millisPerItem=0",
      "--set", "cubes.millisPerItem=0"};

  @TempDir static Path serverDir;
  private static MlflowServer server;

  @TempDir Path home;

  @BeforeAll
  static void startServer() {
    server = MlflowServer.basicAuth(serverDir.resolve("mlflow.db"), serverDir.resolve("artifacts"), ADMIN_PASSWORD);
    server.createUser("alice", ALICE_PASSWORD);
    server.createUser("bob", BOB_PASSWORD);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private Result runDemo(String experiment, String user, String password) {
    List<String> args = new ArrayList<>(List.of("run", experiment, "--plain", "--tracking-uri",
        server.uri().toString()));
    if (experiment.equals("demo")) {
      args.addAll(List.of(FAST_DEMO));
    }
    return InProcessTessera.run(home, Map.of("MLFLOW_TRACKING_USERNAME", user, "MLFLOW_TRACKING_PASSWORD", password),
        args.toArray(String[]::new));
  }

  @Test
  void wrongPasswordFailsBeforeAnyStageNamingTheUserNotThePassword() {
    String wrong = "not-" + ALICE_PASSWORD;
    Result result = runDemo("demo", "alice", wrong);
    assertEquals(Main.USAGE, result.exitCode(), result.out() + result.err());
    assertTrue(result.err().startsWith("error: MLflow server " + server.uri() + " refused the credentials (401 "),
        result.err());
    assertTrue(result.err().contains("user 'alice'"), result.err());
    assertFalse((result.out() + result.err()).contains(wrong), "the password is never printed");
    assertFalse(result.out().contains("numbers"), "no stage ran: " + result.out());
  }

  @Test
  void userWithoutWritePermissionFailsBeforeAnyStage() throws Exception {
    Result first = runDemo("demo", "alice", ALICE_PASSWORD); // alice creates the experiment and manages it
    assertEquals(0, first.exitCode(), first.out() + first.err());
    Result result = runDemo("demo", "bob", BOB_PASSWORD); // bob may only read it (default_permission = READ)
    assertEquals(Main.USAGE, result.exitCode(), result.out() + result.err());
    assertTrue(result.err().contains("403"), result.err());
    assertTrue(result.err().contains("user 'bob'"), result.err());
    assertFalse((result.out() + result.err()).contains(BOB_PASSWORD));
    assertFalse(result.out().contains("numbers"), "no stage ran: " + result.out());
  }

  @Test
  void rightPasswordLogsTheRunAndThePasswordIsNowhere() throws Exception {
    Result result = runDemo("demo-sweep", "alice", ALICE_PASSWORD);
    assertEquals(0, result.exitCode(), result.out() + result.err());
    String runId = new dev.tessera.pipelines.exec.RunStore(home).latest("demo-sweep").orElseThrow().trackedRunId;

    JsonNode run = JSON.readTree(server.get("/api/2.0/mlflow/runs/get?run_id=" + runId).body()).get("run");
    assertEquals("FINISHED", run.at("/info/status").asText(), run.toString());
    assertEquals("alice", run.at("/info/user_id").asText(), "the server records who logged the run");
    assertTrue(run.at("/data/params").size() > 0 && run.at("/data/metrics").size() > 0, run.toString());

    List<String> secrets = List.of(ALICE_PASSWORD, Base64.getEncoder().encodeToString(
        ("alice:" + ALICE_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    for (String secret : secrets) {
      assertFalse(result.out().contains(secret) || result.err().contains(secret), "printed");
      assertFalse(run.toString().contains(secret), "in a param, tag or metric of the run");
      assertFalse(server.log().contains(secret), "in the server's log");
    }
    // Every file either side wrote: Tessera's home (run state, logs, artifacts, spool) and the server's stores
    // (tracking database with params and tags, uploaded artifacts).
    for (Path root : List.of(home, serverDir.resolve("artifacts"), serverDir.resolve("mlflow.db"))) {
      assertNoFileContains(root, secrets);
    }
  }

  private static void assertNoFileContains(Path root, List<String> secrets) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertFalse(files.isEmpty(), "nothing written under " + root);
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        assertFalse(text.contains(secret), "the password is in " + file);
      }
    }
  }
}
