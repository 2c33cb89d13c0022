package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.PythonEnv;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mnist-lenet through the CLI on a slice of real MNIST (2,000 samples per split, 1 epoch): tracking read back by
 * the real MLflow client, CPU determinism, and the cache on a second run.
 */
class MnistLenetIT {
  private static final String[] SMALL = {"--set", "ingest.limit=2000", "--set", "train.epochs=1", "--plain"};
  @TempDir Path dir;
  private Map<String, String> env;

  @BeforeEach
  void setUp() {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null, "TESSERA_DATA_MIRROR is not set: these tests need the MNIST files of the offline "
        + "mirror (.ci/run sets it to the data folder beside the checkout)");
    env = new HashMap<>();
    env.put("TESSERA_HOME", dir.resolve("home").toString());
    env.put("MLFLOW_TRACKING_URI", dir.resolve("mlruns").toString());
  }

  private String tessera(int expectedExit, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, env, new PrintWriter(out), new PrintWriter(err));
    assertEquals(expectedExit, code, "exit code of tessera " + List.of(args) + "\n" + out + "\n" + err);
    return out.toString();
  }

  private String run(String... extra) {
    List<String> args = new ArrayList<>(List.of("run", "mnist-lenet"));
    args.addAll(List.of(SMALL));
    args.addAll(List.of(extra));
    return tessera(0, args.toArray(String[]::new));
  }

  private RunRecord latest() {
    return new RunStore(dir.resolve("home")).latest("mnist-lenet").orElseThrow();
  }

  @Test
  void mlflowClientReadsParamsMetricHistoriesTagsAndArtifacts() throws Exception {
    String out = run();
    assertTrue(out.contains("Test accuracy: "), out);
    RunRecord record = latest();
    Path script = Path.of(getClass().getClassLoader().getResource("python/check_mlflow_run.py").toURI());
    String json = PythonEnv.get().run(script, List.of(dir.resolve("mlruns").toString(), "mnist-lenet",
        record.trackedRunId, Files.createDirectories(dir.resolve("download")).toString()),
        Map.of("MLFLOW_ALLOW_FILE_STORE", "true"));
    JsonNode run = new ObjectMapper().readTree(json);

    assertEquals("FINISHED", run.get("status").asText());
    assertTrue(run.get("end_time").asLong() > 0);
    assertEquals(List.of(record.trackedRunId), List.of(run.get("run_ids").get(0).asText()));
    assertEquals("1", run.get("params").get("train.epochs").asText());
    assertEquals("2000", run.get("params").get("ingest.limit").asText());
    assertEquals("lenet", run.get("params").get("train.model.architecture").asText());
    assertEquals(record.runId, run.get("tags").get("mlflow.runName").asText());
    assertTrue(run.get("tags").has("mlflow.user"));
    assertTrue(run.get("tags").has("mlflow.source.name"));
    JsonNode history = run.get("train_loss_history");
    assertTrue(history.size() >= 1, "train/loss has a history: " + history);
    double accuracy = run.get("metrics").get("evaluate/accuracy").asDouble();
    assertEquals(record.stages.get("evaluate").summary.get("accuracy"), accuracy, 1e-12);
    List<String> artifacts = new ArrayList<>();
    run.get("artifacts").forEach(a -> artifacts.add(a.asText()));
    for (String expected : List.of("spec.json", "evaluate/metrics.json", "evaluate/confusion_matrix.png",
        "train/model/MLmodel", "train/model/training_curves.png")) {
      assertTrue(artifacts.contains(expected), expected + " in " + artifacts);
    }
    assertEquals("mnist-lenet", run.get("spec_experiment").asText());
    assertTrue(run.get("model_files").toString().contains("MLmodel"));
  }

  @Test
  void sameSeedTwiceGivesIdenticalMetrics() {
    run("--set", "seed=7", "--no-cache");
    RunRecord first = latest();
    run("--set", "seed=7", "--no-cache");
    RunRecord second = latest();
    assertFalse(first.runId.equals(second.runId));
    assertEquals(StageStatus.SUCCEEDED, second.stages.get("train").status, "--no-cache trained again");
    assertEquals(first.stages.get("train").summary.get("loss"), second.stages.get("train").summary.get("loss"));
    assertEquals(first.stages.get("evaluate").summary, second.stages.get("evaluate").summary);
  }

  @Test
  void secondRunReusesIngestAndPreprocess() {
    run();
    run("--set", "train.optimizer.learningRate=0.002");
    RunRecord second = latest();
    assertEquals(StageStatus.CACHED, second.stages.get("ingest").status);
    assertEquals(StageStatus.CACHED, second.stages.get("preprocess").status);
    assertEquals(StageStatus.SUCCEEDED, second.stages.get("train").status);
    assertEquals(StageStatus.SUCCEEDED, second.stages.get("evaluate").status);
    String runs = tessera(0, "runs", "mnist-lenet");
    assertTrue(runs.contains("train.optimizer.learningRate"), "the differing param is a column:\n" + runs);
    assertTrue(runs.contains("evaluate/accuracy"), runs);
  }
}
