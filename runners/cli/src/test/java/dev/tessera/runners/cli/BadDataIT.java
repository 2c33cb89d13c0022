package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the real CLI in its own JVM (the dataset settings come from the process environment): a
 * corrupted IDX file in the mirror and a missing dataset both fail the ingest stage with a clear message, and
 * leave no artifact and nothing half-written in the cache.
 */
class BadDataIT {
  @TempDir Path dir;

  private record Outcome(int exitCode, String output) {}

  private Outcome tessera(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-D")).toList());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.environment().put("TESSERA_HOME", dir.resolve("home").toString());
    builder.environment().put("TESSERA_DATA_CACHE", dir.resolve("cache").toString());
    builder.environment().put("TESSERA_DATA_OFFLINE", "true");
    Path log = dir.resolve("tessera.log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "tessera did not finish");
    return new Outcome(process.exitValue(), Files.readString(log));
  }

  @Test
  void corruptedMirrorFileIsRejectedNamingTheFile() throws Exception {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null, "TESSERA_DATA_MIRROR is not set: this test corrupts a copy of the MNIST mirror");
    Path copy = Files.createDirectories(dir.resolve("mirror/mnist"));
    try (Stream<Path> files = Files.list(Path.of(mirror, "mnist"))) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    // Flip one byte inside the labels' gzip stream: still a file, wrong content.
    Path labels = copy.resolve("t10k-labels-idx1-ubyte.gz");
    byte[] bytes = Files.readAllBytes(labels);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(labels, bytes);

    Outcome outcome = tessera(Map.of("TESSERA_DATA_MIRROR", dir.resolve("mirror").toString()), "run",
        "mnist-lenet", "--plain");
    assertEquals(1, outcome.exitCode(), outcome.output());
    assertTrue(outcome.output().contains("ingest failed"), outcome.output());
    assertTrue(outcome.output().contains("t10k-labels-idx1-ubyte"), outcome.output());
    assertTrue(outcome.output().toLowerCase().contains("sha256") || outcome.output().contains("gzip"),
        outcome.output());
    assertNothingHalfWritten();
  }

  @Test
  void missingDatasetListsEverySourceTried() throws Exception {
    Outcome outcome = tessera(Map.of("TESSERA_DATA_MIRROR", dir.resolve("empty-mirror").toString()), "run",
        "mnist-lenet", "--plain");
    assertEquals(1, outcome.exitCode(), outcome.output());
    String text = outcome.output();
    assertTrue(text.contains("cache "), text);
    assertTrue(text.contains("mirror "), text);
    assertTrue(text.contains("upstream "), text);
    assertTrue(text.contains("TESSERA_DATA_MIRROR"), "says how to fix:\n" + text);
    assertNothingHalfWritten();
  }

  private void assertNothingHalfWritten() throws IOException {
    try (Stream<Path> artifacts = Files.list(dir.resolve("home/artifacts"));
        Stream<Path> staging = Files.list(dir.resolve("home/tmp"))) {
      assertEquals(List.of(), artifacts.toList(), "no artifact was published");
      assertEquals(List.of(), staging.toList(), "no staging directory left behind");
    }
    Path cache = dir.resolve("cache/mnist");
    if (Files.exists(cache)) {
      try (Stream<Path> files = Files.list(cache)) {
        for (Path file : files.toList()) {
          assertTrue(!file.getFileName().toString().startsWith("t10k-labels"), "no corrupt file in the cache: "
              + file);
          assertTrue(!file.getFileName().toString().contains("tmp"), "no temporary file in the cache: " + file);
        }
      }
    }
  }
}
