package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.testing.PythonEnv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tessera new demo-project} makes a project that builds and passes its own test, offline, against Tessera's
 * artifacts in a local Maven repository (here a private one, filled from this build's jars, in front of the
 * machine's repository, which is only read), then runs from the CLI with {@code --classpath}.
 */
class NewProjectIT {
  @TempDir Path dir;

  @Test
  void aNewProjectBuildsAndPassesItsTestAndRunsFromTheCli() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent().getParent();
    Path project = dir.resolve("demo-project");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new String[] {"new", "demo-project", "--directory", project.toString()},
        Map.of("TESSERA_HOME", dir.resolve("home").toString()), new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, err.toString());
    assertTrue(Files.isRegularFile(project.resolve("src/main/java/com/example/demoproject/DemoProjectExperiment.java")));

    Path repo = dir.resolve("m2");
    String version = NewCommand.buildProperties().getProperty("version");
    install(repo, "tessera-parent", version, root.resolve("pom.xml"), null);
    install(repo, "tessera-bom", version, root.resolve("bom/pom.xml"), null);
    for (String module : List.of("transforms", "pipelines", "stages")) {
      install(repo, "tessera-" + module, version, root.resolve(module + "/pom.xml"),
          root.resolve(module + "/target/tessera-" + module + "-" + version + ".jar"));
    }
    maven(root, repo, project, "verify");
    Path jar = project.resolve("target/demo-project.jar");
    assertTrue(Files.isRegularFile(jar), "mvn verify built " + jar);
    Path report = project.resolve(
        "target/surefire-reports/TEST-com.example.demoproject.DemoProjectExperimentTest.xml");
    String xml = Files.readString(report);
    assertTrue(xml.contains("tests=\"1\"") && xml.contains("failures=\"0\"") && xml.contains("errors=\"0\""),
        "the generated test ran and passed: " + xml.substring(0, Math.min(400, xml.length())));

    StringWriter listed = new StringWriter();
    assertEquals(0, Main.run(new String[] {"list", "--classpath", jar.toString()},
        Map.of("TESSERA_HOME", dir.resolve("home").toString()), new PrintWriter(listed), new PrintWriter(err)));
    assertTrue(listed.toString().lines().anyMatch(l -> l.startsWith("demo-project ") && l.contains(jar.toString())),
        listed.toString());
  }

  /**
   * Puts a pom (and jar) where {@code mvn install} would, in the repository layout: this build's own files, so the
   * test needs neither the network nor a second build.
   */
  private static void install(Path repo, String artifact, String version, Path pom, Path jar) throws IOException {
    Path folder = Files.createDirectories(repo.resolve("dev/tessera").resolve(artifact).resolve(version));
    Files.copy(pom, folder.resolve(artifact + "-" + version + ".pom"));
    if (jar != null) {
      Files.copy(jar, folder.resolve(artifact + "-" + version + ".jar"));
    }
  }

  /** Runs ./mvnw offline with a private local repository in front of the machine's (read only). */
  private static void maven(Path root, Path repo, Path project, String... goals) {
    String machineRepo = System.getProperty("tessera.maven.repo",
        Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
    List<String> command = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-q", "-o",
        "-f", project.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + repo,
        "-Dmaven.repo.local.tail=" + machineRepo));
    command.addAll(List.of(goals));
    PythonEnv.exec(command, Map.of(), Duration.ofMinutes(10));
  }
}
