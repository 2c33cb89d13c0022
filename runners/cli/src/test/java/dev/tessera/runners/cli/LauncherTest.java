package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./tessera} launcher starts the JVM from a snapshot of Tessera's own jars, so a build that rewrites
 * {@code runners/cli/target} while a run is going cannot pull classes out from under it, and with libtorch's OpenMP
 * threads waiting passively unless the user chose otherwise. The launcher runs for real
 * in a copy of the repository's layout whose jars are already built (no Maven); the one fake is {@code java}, a
 * script that records the command line it was given, because what is checked is the class path the launcher
 * hands to the JVM and what stays on disk behind it.
 */
class LauncherTest {
  private static final Path LAUNCHER = Path.of(System.getProperty("user.dir")).resolve("../../tessera").normalize();

  @TempDir Path root;
  private Path target;

  @BeforeEach
  void setUp() throws Exception {
    assertTrue(Files.isRegularFile(LAUNCHER), "the launcher at " + LAUNCHER);
    Files.copy(LAUNCHER, root.resolve("tessera"));
    Files.writeString(root.resolve("pom.xml"), "<tessera.jvm.flags>-Dfrom.pom=1</tessera.jvm.flags>\n");
    target = Files.createDirectories(root.resolve("runners/cli/target/lib"));
    target = target.getParent();
    Files.writeString(target.resolve("tessera-cli.jar"), "cli build 1");
    Files.writeString(target.resolve("lib/tessera-stages-0.1.0-SNAPSHOT.jar"), "stages build 1");
    Files.writeString(target.resolve("lib/guava-33.5.0-jre.jar"), "guava");
    Files.writeString(target.resolve("lib/.tessera-built"), "");
    Path bin = Files.createDirectories(root.resolve("jdk/bin"));
    Files.writeString(bin.resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$ARGS_FILE\"\n"
        + "printf '%s' \"$OMP_WAIT_POLICY\" > \"$ARGS_FILE.omp\"\n");
    Files.setPosixFilePermissions(bin.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Runs the launcher with {@code --help} and returns the class path it gave java. */
  private List<Path> launch(String name) throws Exception {
    return launch(name, null);
  }

  /** As {@link #launch(String)}, with {@code OMP_WAIT_POLICY} set to {@code ompWaitPolicy} unless null. */
  private List<Path> launch(String name, String ompWaitPolicy) throws Exception {
    Path args = root.resolve(name + ".args");
    ProcessBuilder builder = new ProcessBuilder(root.resolve("tessera").toString(), "--help")
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(root.resolve(name + ".log").toFile());
    builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    builder.environment().put("ARGS_FILE", args.toString());
    builder.environment().remove("TESSERA_JAVA_OPTS");
    builder.environment().remove("OMP_WAIT_POLICY");
    if (ompWaitPolicy != null) {
      builder.environment().put("OMP_WAIT_POLICY", ompWaitPolicy);
    }
    Process process = builder.start();
    assertTrue(process.waitFor(1, TimeUnit.MINUTES), "the launcher did not finish");
    assertEquals(0, process.exitValue(), Files.readString(root.resolve(name + ".log")));
    List<String> words = Files.readAllLines(args);
    assertEquals("-Dfrom.pom=1", words.get(0), "the flags of pom.xml come first: " + words);
    String classPath = words.get(words.indexOf("-cp") + 1);
    assertEquals("dev.tessera.runners.cli.Main", words.get(words.indexOf("-cp") + 2), words.toString());
    return Arrays.stream(classPath.split(":")).map(Path::of).toList();
  }

  @Test
  void libtorchThreadsWaitPassivelyUnlessTheUserSaysOtherwise() throws Exception {
    launch("default");
    assertEquals("PASSIVE", Files.readString(root.resolve("default.args.omp")));
    launch("user", "ACTIVE");
    assertEquals("ACTIVE", Files.readString(root.resolve("user.args.omp")));
  }

  @Test
  void runsTesseraJarsFromASnapshotThatALaterBuildLeavesAlone() throws Exception {
    List<Path> first = launch("first");
    Path cli = first.get(0);
    assertEquals("tessera-cli.jar", cli.getFileName().toString());
    assertEquals(target.resolve("run"), cli.getParent().getParent(), "under target/run/<checksum>/: " + first);
    assertTrue(first.contains(cli.resolveSibling("tessera-stages-0.1.0-SNAPSHOT.jar")), first.toString());
    assertTrue(first.contains(target.resolve("lib/guava-33.5.0-jre.jar")), "third-party jars stay in lib");
    assertFalse(first.stream().anyMatch(p -> p.startsWith(target) && !p.startsWith(target.resolve("run"))
        && p.getFileName().toString().startsWith("tessera-")), "no Tessera jar straight from target: " + first);

    // A build replaces the jars in place, as Maven does, while the first JVM still runs from its snapshot.
    Files.writeString(target.resolve("tessera-cli.jar"), "cli build 2");
    Files.writeString(target.resolve("lib/tessera-stages-0.1.0-SNAPSHOT.jar"), "stages build 2");
    assertArrayEquals("cli build 1".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(cli));

    List<Path> second = launch("second");
    assertNotEquals(cli.getParent(), second.get(0).getParent(), "a new build gets its own snapshot");
    assertEquals("cli build 2", Files.readString(second.get(0)));
    assertEquals("stages build 2", Files.readString(second.get(0).resolveSibling(
        "tessera-stages-0.1.0-SNAPSHOT.jar")));
    assertEquals("cli build 1", Files.readString(cli), "the first run's snapshot is still there");

    assertEquals(second.get(0), launch("third").get(0), "the same build reuses its snapshot");
    try (var entries = Files.list(target.resolve("run"))) {
      assertEquals(2, entries.count(), "two builds, two snapshots, no temporary folders left");
    }
  }
}
