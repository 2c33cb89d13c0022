package dev.tessera.pipelines.tracking.server;

import static dev.tessera.pipelines.tracking.server.ServerTrackerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.mlflow.FileStoreRun;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera mlflow sync}: embedded runs replayed into a real server, and a second sync adds nothing. */
class FileStoreSyncTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @Test
  void syncCopiesRunsWithHistoriesArtifactsAndNestingOnceOnly() throws Exception {
    FileStoreTracker local = FileStoreTracker.at(tmp.resolve("mlruns"));
    FileStoreRun parent = local.startRun("synced", "parent", Map.of("tessera.run_id", "parent"));
    parent.logParams(Map.of("train.lr", "0.01"));
    for (int step = 0; step < 20; step++) {
      parent.logMetric("train/loss", 1.0 / (step + 1), step, 500 + step);
    }
    parent.logArtifact(Files.writeString(tmp.resolve("spec.json"), "{}"), "spec.json");
    TrackedRun child = parent.startChild("trial-0", Map.of());
    child.logMetric("evaluate/accuracy", 0.9, 0, 7);
    child.end(RunStatus.FINISHED);
    parent.end(RunStatus.FAILED);

    try (MlflowServer server = MlflowServer.sqlite(tmp.resolve("mlflow.db"), tmp.resolve("artifacts"));
        ServerTracker target = ServerTracker.connect(ServerTrackerTest.settings(server.uri(), tmp.resolve("spool")))) {
      FileStoreSync.Report first = FileStoreSync.sync(tmp.resolve("mlruns"), target);
      assertEquals(2, first.synced().size(), first.toString());
      FileStoreSync.Report second = FileStoreSync.sync(tmp.resolve("mlruns"), target);
      assertEquals(List.of(), second.synced(), "a second sync adds nothing");
      assertEquals(2, second.skipped().size());

      String experimentId = target.experimentId("synced");
      JsonNode runs = json(server.postJson("/api/2.0/mlflow/runs/search", JSON.createObjectNode()
          .set("experiment_ids", JSON.createArrayNode().add(experimentId)).toString())).get("runs");
      assertEquals(2, runs.size());
      String parentServerId = null;
      for (JsonNode run : runs) {
        Map<String, String> tags = ServerTrackerTest.pairs(run.at("/data/tags"));
        if (tags.get(FileStoreSync.SYNCED_FROM).equals(parent.id())) {
          parentServerId = run.at("/info/run_id").asText();
          assertEquals("FAILED", run.at("/info/status").asText());
          assertEquals(Map.of("train.lr", "0.01"), ServerTrackerTest.pairs(run.at("/data/params")));
        }
      }
      for (JsonNode run : runs) {
        Map<String, String> tags = ServerTrackerTest.pairs(run.at("/data/tags"));
        if (tags.get(FileStoreSync.SYNCED_FROM).equals(child.id())) {
          assertEquals(parentServerId, tags.get(SystemTags.PARENT_RUN_ID), "the child points at the server parent");
        }
      }
      JsonNode history = json(server.get("/api/2.0/mlflow/metrics/get-history?run_id=" + parentServerId
          + "&metric_key=train/loss")).get("metrics");
      assertEquals(20, history.size());
      assertEquals(519, history.get(19).get("timestamp").asLong());
      assertEquals(List.of("spec.json"), ServerTrackerTest.names(json(server.get(
          "/api/2.0/mlflow/artifacts/list?run_id=" + parentServerId))));
    }
  }
}
