package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.tracking.registry.FileStoreRegistry;
import dev.tessera.pipelines.tracking.registry.ModelRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera predict} in process: what it says when the run cannot predict. Predictions themselves are
 * checked against the evaluate stage by {@code PredictImagesTest}.
 */
class PredictCommandTest {
  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  private Result tessera(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, Map.of("TESSERA_HOME", dir.resolve("home").toString(), "MLFLOW_TRACKING_URI",
        dir.resolve("mlruns").toString()), new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void anUnknownRunOrARunWithoutADetectorIsAUsageErrorThatSaysWhatToDo() throws Exception {
    Path image = Files.writeString(dir.resolve("cells.png"), "not read before the run is found");
    Result unknown = tessera("predict", "no-such-run", image.toString());
    assertEquals(Main.USAGE, unknown.exitCode(), unknown.err());
    assertTrue(unknown.err().contains("No run 'no-such-run'"), unknown.err());

    Result demo = tessera("run", "demo", "--plain");
    assertEquals(Main.OK, demo.exitCode(), demo.err());
    String runId = Files.list(dir.resolve("home").resolve("runs")).findFirst().orElseThrow().getFileName()
        .toString();
    Result noDetector = tessera("predict", runId, image.toString());
    assertEquals(Main.USAGE, noDetector.exitCode(), noDetector.err());
    assertTrue(noDetector.err().contains("has no finished train-detector stage"), noDetector.err());
  }

  @Test
  void aModelReferenceResolvesToTheRunThatRegisteredTheVersion() throws Exception {
    Path image = Files.writeString(dir.resolve("cells.png"), "not read before the model is found");
    Result unknown = tessera("predict", "champion:demo", image.toString());
    assertEquals(Main.USAGE, unknown.exitCode(), unknown.err());
    assertTrue(unknown.err().contains("no version with alias 'champion' of registered model 'demo'"),
        unknown.err());

    Result demo = tessera("run", "demo", "--plain");
    assertEquals(Main.OK, demo.exitCode(), demo.err());
    String runId = Files.list(dir.resolve("home").resolve("runs")).findFirst().orElseThrow().getFileName()
        .toString();
    String tracked = new RunStore(dir.resolve("home")).load(runId).orElseThrow().trackedRunId;
    // demo trains no model: give its MLflow run a model directory, so a version of it can be registered.
    try (Stream<Path> found = Files.walk(dir.resolve("mlruns"))) {
      Path artifacts = found.filter(p -> p.endsWith(Path.of(tracked, "artifacts"))).findFirst().orElseThrow();
      Files.createDirectories(artifacts.resolve("train/model"));
      Files.writeString(artifacts.resolve("train/model/MLmodel"), "flavors: {}\n");
    }
    ModelRegistry registry = FileStoreRegistry.at(dir.resolve("mlruns"));
    long version = registry.register("demo", tracked, "train/model", Map.of()).version();
    registry.setAlias("demo", ModelRegistry.CHAMPION, version);

    // The champion leads to the run that registered it; this one trained no detector, and predict says so.
    for (String reference : List.of("champion:demo", "models:/demo@champion", "models:/demo/" + version)) {
      Result predicted = tessera("predict", reference, image.toString());
      assertEquals(Main.USAGE, predicted.exitCode(), reference + ": " + predicted.err());
      assertTrue(predicted.err().contains("Run '" + runId + "' of 'demo' has no finished train-detector stage"),
          reference + ": " + predicted.err());
    }
  }
}
