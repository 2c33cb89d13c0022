package dev.tessera.pipelines.tracking.server;

import static dev.tessera.pipelines.tracking.server.ServerTrackerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.tracking.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real MLflow server stopped while a run logs, then restarted on the same port and backend: nothing is lost or
 * duplicated; and a spool left behind by a process that stopped without ending its run is sent by
 * {@link SpoolFlush}.
 */
class ServerOutageTest {
  @TempDir
  Path tmp;

  @Test
  void replaysTheSpoolAfterTheServerComesBackWithoutLossOrDuplicates() throws Exception {
    int port = MlflowServer.freePort();
    Path db = tmp.resolve("mlflow.db");
    Path artifacts = tmp.resolve("artifacts");
    Path spool = tmp.resolve("spool");
    MlflowServer first = MlflowServer.sqlite(db, artifacts, port);
    String runId;
    try (ServerTracker tracker = ServerTracker.connect(ServerTrackerTest.settings(first.uri(), spool))) {
      ServerRun run = tracker.startRun("outage", "r", Map.of());
      runId = run.id();
      run.logParams(Map.of("a", "1"));
      for (int step = 0; step < 3000; step++) {
        run.logMetric("loss", step * 0.5, step, 10_000 + step);
      }
      first.close(); // mid-logging: the sender is busy with the first batches
      for (int step = 3000; step < 6000; step++) {
        run.logMetric("loss", step * 0.5, step, 10_000 + step);
      }
      Path sample = Files.writeString(tmp.resolve("during-outage.txt"), "logged while the server was down");
      run.logArtifact(sample, "notes/during-outage.txt");
      run.setTags(Map.of("phase", "outage"));
      try (MlflowServer second = MlflowServer.sqlite(db, artifacts, port)) {
        for (int step = 6000; step < 9000; step++) {
          run.logMetric("loss", step * 0.5, step, 10_000 + step);
        }
        run.end(RunStatus.FINISHED);
        assertFalse(Files.exists(run.spoolFile()), "everything was acknowledged");

        JsonNode history = json(second.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId
            + "&metric_key=loss&max_results=25000")).get("metrics");
        TreeSet<Integer> steps = new TreeSet<>();
        history.forEach(p -> {
          int step = p.get("step").asInt();
          assertEquals(step * 0.5, p.get("value").asDouble(), 0.0);
          steps.add(step);
        });
        assertEquals(9000, history.size(), "no point lost or duplicated");
        assertEquals(9000, steps.size());
        JsonNode got = json(second.get("/api/2.0/mlflow/runs/get?run_id=" + runId)).get("run");
        assertEquals("FINISHED", got.at("/info/status").asText());
        assertEquals("outage", ServerTrackerTest.pairs(got.at("/data/tags")).get("phase"));
        assertEquals(List.of("during-outage.txt"), ServerTrackerTest.names(json(
            second.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=notes"))));
      }
    }
  }

  @Test
  void flushSendsWhatAStoppedProcessLeftInTheSpool() throws Exception {
    int port = MlflowServer.freePort();
    Path db = tmp.resolve("mlflow.db");
    Path artifacts = tmp.resolve("artifacts");
    ServerSettings settings = ServerTrackerTest.settings(
        java.net.URI.create("http://127.0.0.1:" + port), tmp.resolve("spool"));
    String runId;
    try (MlflowServer server = MlflowServer.sqlite(db, artifacts, port);
        ServerTracker tracker = ServerTracker.connect(settings)) {
      ServerRun run = tracker.startRun("crash", "r", Map.of());
      runId = run.id();
      server.close();
      for (int step = 0; step < 1500; step++) {
        run.logMetric("loss", step, step, step);
      }
      run.abandon(); // as if the process died: no end record, the spool stays
      assertTrue(Files.size(run.spoolFile()) > 0);
    }
    assertEquals(List.of(SpoolFlush.Outcome.INCOMPLETE), SpoolFlush.flushAll(
        settings.withBackoff(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(20)),
        java.time.Duration.ofMillis(300)).stream().map(SpoolFlush.Result::outcome).toList(),
        "with the server still away, flush keeps the spool");

    try (MlflowServer server = MlflowServer.sqlite(db, artifacts, port)) {
      List<SpoolFlush.Result> results = SpoolFlush.flushAll(settings, java.time.Duration.ofSeconds(60));
      assertEquals(1, results.size());
      assertEquals(SpoolFlush.Outcome.FLUSHED, results.get(0).outcome(), results.toString());
      assertEquals(runId, results.get(0).runId());
      assertEquals(1500, json(server.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId
          + "&metric_key=loss&max_results=25000")).get("metrics").size());
      assertTrue(results.get(0).endedAsKilled(), "the spool had no end record: its process died");
      JsonNode info = json(server.get("/api/2.0/mlflow/runs/get?run_id=" + runId))
          .path("run").path("info");
      assertEquals("KILLED", info.path("status").asText(), "a dead process's run does not stay RUNNING");
      assertTrue(info.path("end_time").asLong() > 0, info.toString());
      try (var left = Files.list(tmp.resolve("spool"))) {
        assertEquals(List.of(), left.toList(), "a flushed spool is deleted");
      }
      assertEquals(List.of(), SpoolFlush.flushAll(settings, java.time.Duration.ofSeconds(5)), "nothing left");
    }
  }
}
