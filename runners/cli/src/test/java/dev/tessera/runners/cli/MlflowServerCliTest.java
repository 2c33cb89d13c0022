package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.runners.cli.InProcessTessera.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with an MLflow server: --tracking-uri, fail fast, mlflow sync and flush, against a real server. */
class MlflowServerCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FAST_DEMO = {"--set", "numbers.millisPerItem=0", "--set", "squares.millisPerItem=0",
      "--set", "cubes.millisPerItem=0"};

  @TempDir Path home;

  private Result tessera(String... args) {
    return InProcessTessera.run(home, args);
  }

  private Result runDemo(String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "demo"));
    args.addAll(List.of(FAST_DEMO));
    args.addAll(List.of(extra));
    return tessera(args.toArray(String[]::new));
  }

  @Test
  void unreachableServerFailsBeforeAnyStage() {
    String uri = "http://127.0.0.1:" + MlflowServer.freePort();
    Result result = runDemo("--tracking-uri", uri);
    assertEquals(Main.USAGE, result.exitCode(), result.err());
    assertTrue(result.err().startsWith("error: MLflow server " + uri + " is unreachable"), result.err());
    assertFalse(result.out().contains("succeeded"), result.out());
  }

  @Test
  void flushWithAnEmptySpoolSaysSo() {
    Result result = tessera("mlflow", "flush");
    assertEquals(0, result.exitCode(), result.err());
    assertEquals("Nothing to flush in " + home.resolve("spool") + ".", result.out().strip());
  }

  @Test
  void runsTrackToTheServerAndLocalRunsSyncOnce() throws Exception {
    try (MlflowServer server = MlflowServer.sqlite(home.resolve("mlflow.db"), home.resolve("artifacts"))) {
      Result remote = runDemo("--tracking-uri", server.uri().toString());
      assertEquals(0, remote.exitCode(), remote.err() + remote.out());
      assertTrue(remote.out().contains("in " + server.uri()), remote.out());

      Result local = runDemo("--tracking-uri", home.resolve("mlruns").toString());
      assertEquals(0, local.exitCode(), local.err());
      String[] sync = {"mlflow", "sync", "--from", home.resolve("mlruns").toString(), "--to",
          server.uri().toString()};
      Result first = tessera(sync);
      assertEquals(0, first.exitCode(), first.err());
      assertTrue(first.out().startsWith("Synced 1 run(s) from "), first.out());
      Result second = tessera(sync);
      assertTrue(second.out().startsWith("Synced 0 run(s) from "), second.out());
      assertTrue(second.out().contains("; 1 already there."), second.out());

      JsonNode experiment = JSON.readTree(server.get(
          "/api/2.0/mlflow/experiments/get-by-name?experiment_name=demo").body()).get("experiment");
      JsonNode runs = JSON.readTree(server.postJson("/api/2.0/mlflow/runs/search",
          "{\"experiment_ids\": [\"" + experiment.get("experiment_id").asText() + "\"]}").body()).get("runs");
      assertEquals(2, runs.size(), runs.toString());
      for (JsonNode run : runs) {
        assertEquals("FINISHED", run.at("/info/status").asText());
        String runId = run.at("/info/run_id").asText();
        assertTrue(server.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId).body().contains("spec.json"));
      }
    }
  }

  @Test
  void sweepTrialsNestUnderTheRunWhichCarriesTheBestTrial() throws Exception {
    try (MlflowServer server = MlflowServer.sqlite(home.resolve("mlflow.db"), home.resolve("artifacts"))) {
      Result result = tessera("run", "demo-sweep", "--plain", "--tracking-uri", server.uri().toString());
      assertEquals(0, result.exitCode(), result.err() + result.out());
      String parentId = new dev.tessera.pipelines.exec.RunStore(home).latest("demo-sweep").orElseThrow()
          .trackedRunId;

      JsonNode experiment = JSON.readTree(server.get(
          "/api/2.0/mlflow/experiments/get-by-name?experiment_name=demo-sweep").body()).get("experiment");
      JsonNode runs = JSON.readTree(server.postJson("/api/2.0/mlflow/runs/search",
          "{\"experiment_ids\": [\"" + experiment.get("experiment_id").asText() + "\"]}").body()).get("runs");
      assertEquals(4, runs.size(), "the run and its 3 trials: " + runs);
      JsonNode parent = null;
      Map<String, JsonNode> trials = new java.util.TreeMap<>();
      for (JsonNode run : runs) {
        assertEquals("FINISHED", run.at("/info/status").asText());
        Map<String, String> tags = map(run.at("/data/tags"));
        if (run.at("/info/run_id").asText().equals(parentId)) {
          parent = run;
          assertFalse(tags.containsKey("mlflow.parentRunId"), tags.toString());
        } else {
          assertEquals(parentId, tags.get("mlflow.parentRunId"), "a trial nested under the run: " + tags);
          assertEquals("fit", tags.get("tessera.stage"));
          trials.put(run.at("/info/run_id").asText(), run);
        }
      }
      assertEquals(3, trials.size());
      java.util.Set<String> rates = new java.util.TreeSet<>();
      String best = null;
      double bestLoss = Double.MAX_VALUE;
      for (JsonNode trial : trials.values()) {
        rates.add(map(trial.at("/data/params")).get("learningRate"));
        String history = server.get("/api/2.0/mlflow/metrics/get-history?run_id=" + trial.at("/info/run_id")
            .asText() + "&metric_key=loss").body();
        assertEquals(50, JSON.readTree(history).get("metrics").size(), "one loss point per step");
        double loss = metrics(trial).get("loss");
        if (loss < bestLoss) {
          bestLoss = loss;
          best = trial.at("/info/run_id").asText();
        }
      }
      assertEquals(java.util.Set.of("0.05", "0.5", "1.5"), rates, "one trial per learning rate");
      assertEquals(best, map(parent.at("/data/tags")).get("tessera.sweep.best_trial"));
      assertEquals(map(trials.get(best).at("/data/params")).get("learningRate"),
          map(parent.at("/data/params")).get("fit.best.learningRate"));
      assertEquals(bestLoss, metrics(parent).get("fit/best_loss"), 1e-12);
      assertTrue(server.get("/api/2.0/mlflow/artifacts/list?run_id=" + parentId + "&path=fit").body()
          .contains("fit/trials.csv"));
    }
  }

  private static Map<String, String> map(JsonNode keyValues) {
    Map<String, String> map = new java.util.TreeMap<>();
    keyValues.forEach(e -> map.put(e.get("key").asText(), e.get("value").asText()));
    return map;
  }

  private static Map<String, Double> metrics(JsonNode run) {
    Map<String, Double> map = new java.util.TreeMap<>();
    run.at("/data/metrics").forEach(e -> map.put(e.get("key").asText(), e.get("value").asDouble()));
    return map;
  }
}
