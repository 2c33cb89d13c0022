package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.testing.JavaSources;
import dev.tessera.runners.cli.InProcessTessera.Result;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's experiment written outside Tessera against its public API (a custom stage with a helper in another file,
 * a built-in ingest of a local image folder, built-in train and evaluate, a custom metric), run as a single file
 * and as a jar on {@code --classpath}: twice each (the second run is served from the cache), then again after an
 * edit to the helper (only the stage that uses it reruns).
 */
class UserExperimentCliTest {
  private static final String[] STAGES = {"ingest", "stats", "preprocess", "train", "evaluate"};
  @TempDir Path dir;
  Path sources;

  @BeforeEach
  void writeUserFolder() throws IOException {
    sources = writeUserFolder(dir).getParent();
  }

  /**
   * Writes the user's image folder ({@code shapes-data}: train/test splits of bright and dark 8x8 images) and the
   * experiment's sources ({@code my-experiments}) into {@code dir}; returns the experiment file.
   */
  static Path writeUserFolder(Path dir) throws IOException {
    Path data = dir.resolve("shapes-data");
    int index = 0;
    for (String split : List.of("train", "test")) {
      for (String shade : List.of("bright", "dark")) {
        Path folder = Files.createDirectories(data.resolve(split).resolve(shade));
        for (int i = 0; i < (split.equals("train") ? 24 : 8); i++) {
          BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
          int base = shade.equals("bright") ? 170 : 40;
          for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
              int v = base + (index * 7 + x * 3 + y * 5) % 60;
              image.setRGB(x, y, v << 16 | v << 8 | v);
            }
          }
          ImageIO.write(image, "png", folder.resolve("img" + index++ + ".png").toFile());
        }
      }
    }
    Path sources = Files.createDirectories(dir.resolve("my-experiments"));
    for (String file : List.of("ShapesExperiment.java", "PixelStats.java", "StatsMath.java")) {
      try (InputStream in = UserExperimentCliTest.class.getResourceAsStream("/user-experiment/" + file)) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@DATA@", data.toString());
        Files.writeString(sources.resolve(file), text);
      }
    }
    return sources.resolve("ShapesExperiment.java");
  }

  private Result tessera(Path home, String... args) {
    return tessera(Map.of(), home, args);
  }

  private Result tessera(Map<String, String> extraEnvironment, Path home, String... args) {
    Map<String, String> environment = new TreeMap<>(extraEnvironment);
    environment.put("MLFLOW_TRACKING_URI", home.resolve("mlruns").toString());
    return InProcessTessera.run(home, environment, args);
  }

  /** The status column of each stage in the run summary. */
  private static Map<String, String> statuses(Result result) {
    assertEquals(0, result.exitCode(), result.out() + result.err());
    Map<String, String> statuses = new TreeMap<>();
    for (String line : result.out().split("\n")) {
      String[] words = line.trim().split("\\s+");
      for (String stage : STAGES) {
        if (words.length > 1 && words[0].equals(stage)) {
          statuses.put(stage, words[1]);
        }
      }
    }
    assertEquals(STAGES.length, statuses.size(), result.out());
    return statuses;
  }

  private static Map<String, String> all(String status) {
    Map<String, String> map = new TreeMap<>();
    for (String stage : STAGES) {
      map.put(stage, status);
    }
    return map;
  }

  private void editHelper() throws IOException {
    Path helper = sources.resolve("StatsMath.java");
    Files.writeString(helper, Files.readString(helper).replace("Math.round(value * scale) / scale",
        "Math.floor(value * scale) / scale"));
  }

  @Test
  void aSingleFileRunsIsCachedAndRerunsOnlyTheStageWhoseHelperChanged() throws IOException {
    Path home = dir.resolve("home-file");
    String file = sources.resolve("ShapesExperiment.java").toString();
    Result first = tessera(home, "run", file, "--plain");
    assertEquals(all("succeeded"), statuses(first));
    assertTrue(first.out().contains("Test accuracy: "), first.out());
    assertTrue(first.out().contains("error_rate="), first.out());

    assertEquals(all("cached"), statuses(tessera(home, "run", file, "--plain")));

    editHelper();
    Map<String, String> expected = all("cached");
    expected.put("stats", "succeeded");
    assertEquals(expected, statuses(tessera(home, "run", file, "--plain")));

    Result dag = tessera(home, "dag", file);
    assertEquals(0, dag.exitCode(), dag.err());
    assertTrue(dag.out().contains("stats"), dag.out());
    Result runs = tessera(home, "runs", file);
    assertEquals(0, runs.exitCode(), runs.err());
    assertEquals(3, runs.out().lines().filter(l -> l.contains(" shapes ")).count(), runs.out());

    // resume recompiles the run's file (found from run.json alone, like after a crash).
    String runId = runs.out().lines().skip(1).findFirst().orElseThrow().trim().split("\\s+")[0];
    Result resumed = tessera(home, "resume", runId, "--plain");
    assertEquals(0, resumed.exitCode(), resumed.out() + resumed.err());
    assertTrue(resumed.out().contains("Run " + runId + " of shapes: succeeded"), resumed.out());
  }

  @Test
  void aJarOnTheClassPathRegistersItsExperimentAndMetric() throws IOException {
    Path home = dir.resolve("home-jar");
    Path jar = jar("v1");
    Result list = tessera(home, "list", "--classpath", jar.toString());
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("shapes ") && l.contains(jar.toString())), list.out());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("demo ") && l.contains("built-in (")), list.out());

    assertEquals(all("succeeded"), statuses(tessera(home, "run", "--classpath", jar.toString(), "shapes", "--plain")));
    assertEquals(all("cached"), statuses(tessera(home, "run", "shapes", "--classpath", jar.toString(), "--plain")));

    editHelper();
    Path edited = jar("v2");
    Map<String, String> expected = all("cached");
    expected.put("stats", "succeeded");
    assertEquals(expected, statuses(tessera(home, "run", "--classpath", edited.toString(), "shapes", "--plain")));

    Result explain = tessera(home, "explain-cache", "--classpath", jar.toString(), "shapes");
    assertEquals(0, explain.exitCode(), explain.err());
    assertTrue(explain.out().contains("bytecode of StatsMath changed"), explain.out());

    // TESSERA_CLASSPATH works like --classpath.
    Map<String, String> variable = Map.of("TESSERA_CLASSPATH", edited.toString());
    assertEquals(all("cached"), statuses(tessera(variable, home, "run", "shapes", "--plain")));
  }

  @Test
  void theExperimentSeedDrivesTrainingAndKeysOnlyTheStagesThatUseIt() {
    Path home = dir.resolve("home-seed");
    String file = sources.resolve("ShapesExperiment.java").toString();
    String loss42 = trainLoss(tessera(home, "run", file, "--plain"));

    Result explain = tessera(home, "explain-cache", file, "--set", "seed=7");
    assertEquals(0, explain.exitCode(), explain.err());
    assertTrue(explain.out().contains("environment seed: 42 -> 7"), explain.out());
    Map<String, String> expected = all("cached");
    expected.put("train", "succeeded");
    expected.put("evaluate", "succeeded");
    Result seven = tessera(home, "run", file, "--set", "seed=7", "--plain");
    assertEquals(expected, statuses(seven));
    String loss7 = trainLoss(seven);
    assertTrue(!loss7.equals(loss42), "seed 7 trains differently from seed 42: " + loss7);
    assertEquals(loss7, trainLoss(tessera(home, "run", file, "--set", "seed=7", "--no-cache", "--plain")));
  }

  private static String trainLoss(Result result) {
    assertEquals(0, result.exitCode(), result.out() + result.err());
    return result.out().lines().filter(l -> l.trim().startsWith("train ")).findFirst().orElseThrow()
        .replaceAll(".*loss=(\\S+).*", "$1");
  }

  @Test
  void runsWithSweepListsTheTrialsBestFirst() throws IOException {
    Path home = dir.resolve("home-sweep");
    Path file = dir.resolve("sweeps").resolve("ShapesSweep.java");
    Files.createDirectories(file.getParent());
    try (InputStream in = getClass().getResourceAsStream("/user-experiment/ShapesSweep.java.txt")) {
      Files.writeString(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("@DATA@", dir.resolve("shapes-data").toString()));
    }
    Result run = tessera(home, "run", file.toString(), "--plain");
    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().contains("Best trial's accuracy: "), run.out());
    String runId = run.out().lines().filter(l -> l.startsWith("Run ")).findFirst().orElseThrow().split(" ")[1];
    Result trials = tessera(home, "runs", "--sweep", runId);
    assertEquals(0, trials.exitCode(), trials.err());
    List<String> lines = trials.out().lines().toList();
    assertTrue(lines.get(1).startsWith("trial"), trials.out());
    double first = Double.parseDouble(lines.get(2).trim().split("\\s+")[3]);
    double second = Double.parseDouble(lines.get(3).trim().split("\\s+")[3]);
    assertTrue(first >= second, "best first:\n" + trials.out());
  }

  @Test
  void badUserInputIsAOneLineUsageError() throws IOException {
    Path home = dir.resolve("home-bad");
    Result missing = tessera(home, "run", "--classpath", dir.resolve("nope.jar").toString(), "shapes");
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().startsWith("error: --classpath entry '" + dir.resolve("nope.jar") + "' does not exist"),
        missing.err());

    Path corrupt = Files.writeString(dir.resolve("corrupt.jar"), "not a zip");
    Result unreadable = tessera(home, "list", "--classpath", corrupt.toString());
    assertEquals(2, unreadable.exitCode());
    assertTrue(unreadable.err().startsWith("error: --classpath entry '" + corrupt + "' is not a readable jar"),
        unreadable.err());

    Path broken = sources.resolve("Broken.java");
    Files.writeString(broken, "public class Broken {\n  int x = \"text\";\n}\n");
    Result compile = tessera(home, "run", broken.toString());
    assertEquals(2, compile.exitCode());
    assertTrue(compile.err().contains(broken + ":2: error: incompatible types"), compile.err());

    Path none = dir.resolve("other").resolve("Nothing.java");
    Files.createDirectories(none.getParent());
    Files.writeString(none, "public class Nothing {}\n");
    Result empty = tessera(home, "run", none.toString());
    assertEquals(2, empty.exitCode());
    assertTrue(empty.err().contains("must define exactly one class implementing ExperimentDefinition, but defines "
        + "none (classes compiled: [Nothing])"), empty.err());

    Result badSet = tessera(home, "run", "demo", "--set", "numbers.count=many");
    assertEquals(2, badSet.exitCode());
    assertEquals(1, badSet.err().strip().lines().count(), badSet.err());
  }

  /** The user's project built as a jar: classes plus META-INF/services for the experiment and the metric. */
  private Path jar(String name) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(sources)) {
      for (Path p : list.filter(p -> p.toString().endsWith(".java") && !p.endsWith("Broken.java")).toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    Path classes = JavaSources.compile(dir.resolve("build-" + name), files);
    Path jar = dir.resolve("my-experiments-" + name + ".jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      try (Stream<Path> all = Files.walk(classes)) {
        for (Path p : all.filter(Files::isRegularFile).toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(p).toString()));
          out.write(Files.readAllBytes(p));
        }
      }
      out.putNextEntry(new JarEntry("META-INF/services/dev.tessera.pipelines.dag.ExperimentDefinition"));
      out.write("ShapesExperiment\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new JarEntry("META-INF/services/dev.tessera.stages.evaluate.ClassificationMetric"));
      out.write("ShapesExperiment$ErrorRate\n".getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }
}
