package dev.tessera.pipelines.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sqlite-backed server that serves artifacts, as later REST tracker tests use it; and its clean stop. */
class MlflowServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void sqliteServerCreatesRunsAndServesArtifacts() throws Exception {
    ProcessHandle serverProcess;
    List<ProcessHandle> children;
    try (MlflowServer server = MlflowServer.sqlite(tmp.resolve("mlflow.db"), tmp.resolve("artifacts"))) {
      HttpResponse<String> created = server.postJson("/api/2.0/mlflow/experiments/create", "{\"name\": \"e\"}");
      assertEquals(200, created.statusCode(), created.body());
      String experimentId = JSON.readTree(created.body()).get("experiment_id").asText();
      HttpResponse<String> run = server.postJson("/api/2.0/mlflow/runs/create",
          "{\"experiment_id\": \"" + experimentId + "\", \"run_name\": \"r\", \"start_time\": 1}");
      assertEquals(200, run.statusCode(), run.body());
      JsonNode info = JSON.readTree(run.body()).at("/run/info");
      String runId = info.get("run_id").asText();
      assertEquals("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts",
          info.get("artifact_uri").asText());

      String artifactUrl = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/a.txt";
      HttpResponse<String> put = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(server.uri().resolve(artifactUrl))
              .PUT(HttpRequest.BodyPublishers.ofString("hello")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, put.statusCode(), put.body());
      assertEquals("hello", Files.readString(
          tmp.resolve("artifacts").resolve(experimentId).resolve(runId).resolve("artifacts/a.txt")));
      HttpResponse<String> list = server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId);
      assertTrue(list.body().contains("a.txt"), list.body());

      serverProcess = server.process();
      children = serverProcess.descendants().toList();
    }
    assertFalse(serverProcess.isAlive(), "the server process is stopped");
    for (ProcessHandle child : children) {
      assertFalse(child.isAlive(), "server child " + child.pid() + " is stopped");
    }
  }
}
