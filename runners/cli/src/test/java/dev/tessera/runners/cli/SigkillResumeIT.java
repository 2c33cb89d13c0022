package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.runners.cli.InProcessTessera.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code tessera run} killed with SIGKILL in epoch 3 of 5 and continued with {@code tessera resume} ends exactly
 * as the same run never interrupted: the same weights file byte for byte, the same evaluation metrics, and an
 * MLflow history of every step once, with the uninterrupted run's values. Real MNIST (a 640-image slice), a real
 * child JVM killed by the operating system, the MLflow client reading the file store back.
 */
class SigkillResumeIT {
  /** 640 images in batches of 32: 20 steps an epoch, 100 in all; a checkpoint every 7 steps and at epoch ends. */
  private static final String[] SETTINGS = {"--set", "ingest.limit=640", "--set", "train.epochs=5",
      "--set", "train.batchSize=32", "--set", "train.device=cpu", "--set", "train.logEverySteps=1",
      "--set", "train.checkpoint.everySteps=7", "--set", "train.checkpoint.keepLast=3", "--plain"};
  /** A checkpoint folder: ckpt-(step)-(0-based epoch it stands in)-(batches of that epoch done). */
  private static final Pattern CHECKPOINT = Pattern.compile("ckpt-(\\d{12})-(\\d{6})-(\\d{10})");
  private static final List<String> KEYS = List.of("train/loss", "train/lr", "train/accuracy");
  private static final List<String> READ = List.of("train/loss", "train/lr", "train/accuracy", "train/epoch/loss");

  @TempDir Path dir;

  private Map<String, String> environment(String name) {
    return Map.of("TESSERA_HOME", dir.resolve(name).toString(),
        "MLFLOW_TRACKING_URI", dir.resolve(name + "-mlruns").toString());
  }

  private static String[] run() {
    List<String> args = new ArrayList<>(List.of("run", "mnist-lenet"));
    args.addAll(List.of(SETTINGS));
    return args.toArray(String[]::new);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void killedInEpochThreeAndResumedEndsAsTheUninterruptedRun() throws Exception {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null, "TESSERA_DATA_MIRROR is not set: this test trains on the MNIST files of the offline "
        + "mirror (.ci/run sets it to the data folder beside the checkout)");

    Path home = dir.resolve("killed");
    Process child = startTessera(environment("killed"), run());
    Path checkpoint;
    while ((checkpoint = checkpointInEpochThree(home).orElse(null)) == null) {
      assertTrue(child.isAlive(), "tessera exited before epoch 3: " + Files.readString(dir.resolve("child.log")));
      Thread.sleep(20); // polling another process's progress, not a timing assumption
    }
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
    assertTrue(child.waitFor(1, TimeUnit.MINUTES));
    RunRecord killed = new RunStore(home).latest("mnist-lenet").orElseThrow();
    assertEquals(RunOutcome.RUNNING, killed.status, "the dead run was left as running");

    Result resumed = InProcessTessera.run(environment("killed"), "resume", killed.runId, "--plain");
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    Matcher from = Pattern.compile("resuming from checkpoint (ckpt-\\d{12}-(\\d{6})-\\d{10})").matcher(resumed.out());
    assertTrue(from.find(), "the train stage continued from a checkpoint:\n" + resumed.out());
    assertTrue(Integer.parseInt(from.group(2)) >= 2, "from " + from.group(1) + ", not before " + checkpoint);

    Result straight = InProcessTessera.run(environment("straight"), run());
    assertEquals(0, straight.exitCode(), straight.out() + straight.err());

    RunRecord continued = new RunStore(home).load(killed.runId).orElseThrow();
    RunRecord uninterrupted = new RunStore(dir.resolve("straight")).latest("mnist-lenet").orElseThrow();
    assertEquals(RunOutcome.SUCCEEDED, continued.status);
    assertEquals(Digests.sha256Hex(weights(home, continued)),
        Digests.sha256Hex(weights(dir.resolve("straight"), uninterrupted)), "the final weights, byte for byte");
    for (String key : List.of("loss", "accuracy")) { // the summary's "seconds" is wall time, not a result
      assertEquals(uninterrupted.stages.get("train").summary.get(key), continued.stages.get("train").summary.get(key),
          "train " + key);
    }
    assertEquals(uninterrupted.stages.get("evaluate").summary, continued.stages.get("evaluate").summary);

    JsonNode expected = histories("straight", uninterrupted);
    JsonNode actual = histories("killed", continued);
    for (String key : KEYS) {
      // Step 0 holds the stage's summary (its final loss and accuracy), logged once when the stage ends.
      List<Long> steps = new ArrayList<>();
      actual.get(key).forEach(point -> steps.add(point.get(0).asLong()));
      assertTrue(steps.stream().filter(step -> step == 0).count() <= 1, key + ": one summary point: " + steps);
      steps.removeIf(step -> step == 0);
      assertEquals(range(1, 100), steps, key + ": every step once, in order, across the kill");
      assertEquals(expected.get(key), actual.get(key), key + ": the same values as the uninterrupted run");
    }
    List<Long> epochs = new ArrayList<>();
    actual.get("train/epoch/loss").forEach(point -> epochs.add(point.get(0).asLong()));
    assertEquals(range(1, 5), epochs, "one point per epoch");
    assertEquals(expected.get("train/epoch/loss"), actual.get("train/epoch/loss"));
  }

  private Process startTessera(Map<String, String> environment, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The flags this JVM runs with (add-opens, offline DJL, the vector module), minus any debugger or agent.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** A checkpoint written inside epoch 3 (0-based epoch 2, some batches done), if one is on disk yet. */
  private static Optional<Path> checkpointInEpochThree(Path home) throws IOException {
    Path runs = home.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return Optional.empty();
    }
    try (Stream<Path> all = Files.find(runs, 5, (path, attributes) -> attributes.isDirectory()
        && path.getParent().getFileName().toString().equals("checkpoints"))) {
      return all.filter(path -> {
        Matcher m = CHECKPOINT.matcher(path.getFileName().toString());
        return m.matches() && Integer.parseInt(m.group(2)) == 2 && Long.parseLong(m.group(3)) > 0;
      }).findFirst();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return Optional.empty(); // the child renamed a file (run.json's temporary) while we walked: look again
      }
      throw e;
    }
  }

  /** The train stage's weights file in the run's artifact store (not the EMA copy). */
  private static Path weights(Path home, RunRecord run) throws IOException {
    Path artifact = home.resolve("artifacts").resolve(run.stages.get("train").cacheKey);
    try (Stream<Path> files = Files.walk(artifact)) {
      List<Path> params = files.filter(p -> p.getFileName().toString().endsWith(".params"))
          .filter(p -> !p.getFileName().toString().startsWith("ema")).toList();
      assertEquals(1, params.size(), "one weights file in " + artifact + ": " + params);
      return params.get(0);
    }
  }

  private JsonNode histories(String name, RunRecord run) throws Exception {
    Path script = Path.of(getClass().getClassLoader().getResource("python/metric_histories.py").toURI());
    List<String> args = new ArrayList<>(List.of(dir.resolve(name + "-mlruns").toString(), run.trackedRunId));
    args.addAll(READ);
    return new ObjectMapper().readTree(PythonEnv.get().run(script, args, Map.of("MLFLOW_ALLOW_FILE_STORE", "true")));
  }

  private static List<Long> range(long first, long last) {
    List<Long> steps = new ArrayList<>();
    for (long step = first; step <= last; step++) {
      steps.add(step);
    }
    return steps;
  }
}
