package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.tracking.registry.FileStoreRegistry;
import dev.tessera.pipelines.tracking.registry.ModelRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera run --promote-if} on a small image-folder experiment (the user experiment of
 * {@code UserExperimentCliTest}): the model is registered in {@code ./mlruns}, the gate keeps the champion on a tie,
 * the run's datasets are logged as inputs, and {@code tessera mlflow model champion:<experiment>} finds it.
 */
class RunPublicationCliTest {
  private static final String GATE = "evaluate/accuracy:max:0.001";
  @TempDir Path dir;

  record Result(int exitCode, String out, String err) {}

  private Result tessera(Path home, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> environment = new TreeMap<>();
    environment.put("TESSERA_HOME", home.toString());
    environment.put("MLFLOW_TRACKING_URI", home.resolve("mlruns").toString());
    int code = Main.run(args, environment, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  private String writeExperiment() throws IOException {
    return UserExperimentCliTest.writeUserFolder(dir).toString();
  }

  @Test
  void promoteIfRegistersTheModelKeepsTheChampionOnATieAndLogsTheDatasets() throws IOException {
    Path home = dir.resolve("home");
    String file = writeExperiment();

    Result first = tessera(home, "run", file, "--promote-if", GATE, "--plain");
    assertEquals(0, first.exitCode(), first.out() + first.err());
    assertTrue(first.out().contains("Registered shapes version 1 as challenger; promoted version 1: no champion "
        + "yet"), first.out());

    // The same seed trains the same weights again: a tie, which keeps the champion.
    Result second = tessera(home, "run", file, "--promote-if", GATE, "--no-cache", "--plain");
    assertEquals(0, second.exitCode(), second.out() + second.err());
    assertTrue(second.out().contains("kept the champion; version 2: evaluate/accuracy"), second.out());
    assertTrue(second.out().contains("(measured again on the same data)"), second.out());

    Result cached = tessera(home, "run", file, "--promote-if", GATE, "--plain");
    assertTrue(cached.out().contains("Not registered: stage 'train' was served from the cache"), cached.out());

    ModelRegistry registry = FileStoreRegistry.at(home.resolve("mlruns"));
    assertEquals(1, registry.byAlias("shapes", ModelRegistry.CHAMPION).orElseThrow().version());
    assertEquals(2, registry.byAlias("shapes", ModelRegistry.CHALLENGER).orElseThrow().version());
    assertEquals("kept", registry.version("shapes", 2).orElseThrow().tags().get("tessera.gate.decision"));

    // Every run logged its two splits as dataset inputs.
    try (Stream<Path> inputs = Files.walk(home.resolve("mlruns"))) {
      assertEquals(6, inputs.filter(p -> p.getParent().getFileName().toString().equals("inputs")).count());
    }

    String firstRunId = first.out().lines().filter(l -> l.startsWith("Run ")).findFirst().orElseThrow()
        .split(" ")[1];
    // Publishing a published run again: the same version, and the gate does not decide twice.
    Result resumed = tessera(home, "resume", firstRunId, "--promote-if", GATE, "--plain");
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("Registered shapes version 1 as challenger; the gate had decided already"),
        resumed.out());

    Result champion = tessera(home, "mlflow", "model", "champion:shapes");
    assertEquals(0, champion.exitCode(), champion.out() + champion.err());
    assertTrue(champion.out().startsWith("champion:shapes -> shapes version 1 (MLflow run "), champion.out());
    Result unknown = tessera(home, "mlflow", "model", "champion:nothing");
    assertEquals(Main.USAGE, unknown.exitCode(), unknown.out() + unknown.err());
    assertTrue(unknown.err().contains("no version with alias 'champion' of registered model 'nothing'"),
        unknown.err());
  }

  @Test
  void aGateMetricTheStageDoesNotReportIsAUsageErrorAndTheRunsModelIsPublishedAfterwardsWithoutTraining()
      throws IOException {
    Path home = dir.resolve("home");
    Result typo = tessera(home, "run", writeExperiment(), "--promote-if", "evaluate/acuracy:max:0.001", "--plain");
    assertEquals(Main.USAGE, typo.exitCode(), typo.out() + typo.err());
    java.util.regex.Matcher run = java.util.regex.Pattern.compile(" run (\\S+) succeeded").matcher(typo.out());
    assertTrue(run.find(), typo.out());
    String runId = run.group(1);
    assertTrue(typo.err().contains("stage 'evaluate' reported no 'acuracy'; it reported ["), typo.err());
    assertTrue(typo.err().contains("tessera resume " + runId + " --promote-if evaluate/<metric>:max:0.001"),
        typo.err());
    assertTrue(FileStoreRegistry.at(home.resolve("mlruns")).byAlias("shapes", ModelRegistry.CHAMPION).isEmpty());

    Result published = tessera(home, "resume", runId, "--promote-if", GATE, "--plain");
    assertEquals(0, published.exitCode(), published.out() + published.err());
    assertTrue(published.out().contains("Registered shapes version 1 as challenger; promoted version 1"),
        published.out());
    assertTrue(!published.out().contains(" running"), "nothing trains again: " + published.out());
    assertEquals(1, FileStoreRegistry.at(home.resolve("mlruns")).byAlias("shapes", ModelRegistry.CHAMPION)
        .orElseThrow().version());
  }

  @Test
  void promoteIfOnAStageTheExperimentLacksIsAUsageErrorBeforeAnyStageRuns() throws IOException {
    Result bad = tessera(dir.resolve("home"), "run", writeExperiment(), "--promote-if", "evaluat/accuracy");
    assertEquals(Main.USAGE, bad.exitCode(), bad.out() + bad.err());
    assertTrue(bad.err().contains("has no stage 'evaluat'. Stages: [ingest, stats, preprocess, train, evaluate]"),
        bad.err());
  }
}
