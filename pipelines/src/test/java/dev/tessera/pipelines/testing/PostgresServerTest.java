package dev.tessera.pipelines.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A private PostgreSQL cluster as MLflow's backend store: metrics go in and come back; close stops everything. */
class PostgresServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void mlflowServerStoresMetricsInThePrivateCluster() throws Exception {
    ProcessHandle postmaster;
    try (PostgresServer db = PostgresServer.start()) {
      postmaster = db.process().orElseThrow(() -> new AssertionError("no postmaster.pid:\n" + db.log()));
      assertTrue(db.sqlAlchemyUri().endsWith("@127.0.0.1:" + db.port() + "/mlflow"), db.sqlAlchemyUri());
      try (MlflowServer server = MlflowServer.postgres(db, tmp.resolve("artifacts"), List.of("--workers", "2"))) {
        String experimentId = JSON.readTree(server.postJson("/api/2.0/mlflow/experiments/create",
            "{\"name\": \"e\"}").body()).get("experiment_id").asText();
        String runId = JSON.readTree(server.postJson("/api/2.0/mlflow/runs/create",
            "{\"experiment_id\": \"" + experimentId + "\", \"start_time\": 1}").body()).at("/run/info/run_id").asText();
        HttpResponse<String> logged = server.postJson("/api/2.0/mlflow/runs/log-batch", "{\"run_id\": \"" + runId
            + "\", \"metrics\": [{\"key\": \"loss\", \"value\": 0.5, \"timestamp\": 7, \"step\": 1},"
            + " {\"key\": \"loss\", \"value\": 0.25, \"timestamp\": 8, \"step\": 2}]}");
        assertEquals(200, logged.statusCode(), logged.body());
        JsonNode history = JSON.readTree(server.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId
            + "&metric_key=loss").body()).get("metrics");
        Map<Long, Double> byStep = new TreeMap<>();
        history.forEach(m -> byStep.put(m.get("step").asLong(), m.get("value").asDouble()));
        assertEquals(Map.of(1L, 0.5, 2L, 0.25), byStep, history.toString());
        assertEquals("2", db.query("select count(*) from metrics where run_uuid = '" + runId + "'"),
            "the server wrote the points into the private cluster");
      }
    }
    assertFalse(postmaster.isAlive(), "close() stops the postmaster");
  }
}
