package dev.tessera.runners.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.runners.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU image of {@code docker/Dockerfile}, built and run with podman: a base image made from Debian packages by
 * {@code docker/local-base-image.sh} (no registry serves images here; the script installs podman, runc and
 * mmdebstrap with apt when they are missing, which needs root), the CLI jars of this build ({@code JARS=prebuilt}),
 * and of both runner modules, then {@code tessera --help} and {@code tessera run demo} inside a container, which
 * prints the same stage lines as the host, and a limited {@code mnist-lenet} on Flink and on Spark (needs
 * {@code TESSERA_DATA_MIRROR}). This module comes after runners/cli, runners/flink and runners/spark in the reactor,
 * so their packaged jars are there when the image is built. The compose file is resolved by podman-compose and the
 * Dockerfiles pass hadolint (both from PyPI).
 */
class ContainerImageIT {
  private static final String IMAGE = "localhost/tessera:it";
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();
  private static final Map<String, String> PODMAN_ENV = new HashMap<>();
  private static String runtime;
  private static String baseImage;
  private static boolean imageBuilt;
  @TempDir Path dir;

  @BeforeAll
  static void buildBaseImage() {
    boolean root = "root".equals(System.getProperty("user.name"));
    assumeTrue(root || PythonEnv.onPath("podman"),
        "podman is not installed and this test does not run as root, so docker/local-base-image.sh cannot "
            + "install it with apt-get: install podman, runc and mmdebstrap, or run as root");
    String out = PythonEnv.exec(List.of("bash", ROOT.resolve("docker/local-base-image.sh").toString()), Map.of(),
        Duration.ofMinutes(20));
    Matcher m = Pattern.compile("export (\\w+)='([^']*)'").matcher(out);
    Map<String, String> settings = new HashMap<>();
    while (m.find()) {
      settings.put(m.group(1), m.group(2));
    }
    assertEquals(3, settings.size(), "the script prints three settings:\n" + out);
    PODMAN_ENV.put("CONTAINERS_CONF", settings.get("CONTAINERS_CONF"));
    runtime = settings.get("PODMAN_RUNTIME");
    baseImage = settings.get("TESSERA_BASE_IMAGE");
  }

  @Test
  void theCpuImageRunsTheDemoLikeTheHost() throws IOException {
    String help = podman(Duration.ofMinutes(2), "run", "--rm", "--network=none", image(), "--help");
    assertTrue(help.contains("Usage: tessera"), help);
    Path work = workFolder("direct");
    String inContainer = podman(Duration.ofMinutes(5), "run", "--rm", "--network=none", "-v", work + ":/work",
        image(), "run", "demo", "--plain");
    assertEquals(hostStageLines(), stageLines(inContainer), "the container's run reads like the host's:"
        + "\n--- container ---\n" + inContainer);
    assertTrue(Files.isDirectory(work.resolve(".tessera/artifacts")), "artifacts land in the mounted /work");
  }

  /**
   * A limited {@code mnist-lenet} (its Beam stages ingest and preprocess, then DJL's training and evaluation) on
   * Flink's embedded cluster and on Spark's {@code local[2]}, each in its own container with the data mirror
   * mounted read-only: both runners' jars are in the image, and both runs print the same stage results.
   */
  @Test
  void theImageRunsMnistLenetOnFlinkAndSpark() throws IOException {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null, "TESSERA_DATA_MIRROR is not set: this test mounts the MNIST files of the mirror");
    Path data = Path.of(mirror).toAbsolutePath();
    if (!Files.isDirectory(data.resolve("mnist"))) {
      data = ROOT.resolve(mirror).normalize(); // CI's ../shared/data is relative to the repository
    }
    Map<String, List<String>> results = new HashMap<>();
    for (List<String> runner : List.of(List.of("--runner=FlinkRunner", "--flinkMaster=[local]"),
        List.of("--runner=SparkRunner", "--sparkMaster=local[2]"))) {
      String name = runner.get(0).substring("--runner=".length());
      List<String> args = new ArrayList<>(List.of("run", "--rm", "--network=none", "-v",
          workFolder(name) + ":/work", "-v", data + ":/data:ro", "-e", "TESSERA_DATA_MIRROR=/data", image(),
          "run", "mnist-lenet", "--plain", "--set", "ingest.limit=200", "--set", "train.epochs=1"));
      args.addAll(runner);
      String out = podman(Duration.ofMinutes(10), args.toArray(String[]::new));
      List<String> rows = stageLines(out);
      assertEquals(List.of("ingest", "preprocess", "train", "evaluate"),
          rows.stream().map(r -> r.split(" ")[0]).toList(), out);
      assertTrue(rows.stream().allMatch(r -> r.split(" ")[1].equals("succeeded")), name + ":\n" + out);
      // Training is seeded: both runs read the same samples and reach the same metrics; only the time differs.
      results.put(name, rows.stream().map(r -> r.replaceAll(" seconds=\\S+", "")).toList());
    }
    assertEquals(results.get("FlinkRunner"), results.get("SparkRunner"),
        "Flink and Spark ingest and preprocess the same samples, and the seeded training then reads alike");
  }

  /** Builds the image once per test class from this build's packaged jars; skips when they are missing. */
  private static synchronized String image() {
    if (!imageBuilt) {
      for (String packaged : List.of("runners/cli/target/tessera-cli.jar", "runners/flink/target/lib",
          "runners/spark/target/tessera-runner-spark.jar", "runners/spark/target/lib")) {
        assumeTrue(Files.exists(ROOT.resolve(packaged)),
            ROOT.resolve(packaged) + " is missing: run this test through Maven's verify (package first)");
      }
      // --format docker keeps the HEALTHCHECK, which the OCI image format has no field for.
      podman(Duration.ofMinutes(15), "build", "--format", "docker", "--network=host", "-f",
          ROOT.resolve("docker/Dockerfile").toString(),
          "--build-arg", "BASE_IMAGE=" + baseImage, "--build-arg", "JARS=prebuilt", "-t", IMAGE, ROOT.toString());
      imageBuilt = true;
    }
    return IMAGE;
  }

  /** A fresh /work for one container: the image runs as the unprivileged uid 1000, which must write there. */
  private Path workFolder(String name) throws IOException {
    Path work = Files.createDirectories(dir.resolve(name));
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    return work;
  }

  /** The stage lines of {@code tessera run demo} on the host's DirectRunner, in this JVM. */
  private List<String> hostStageLines() {
    StringWriter hostOut = new StringWriter();
    StringWriter hostErr = new StringWriter();
    int code = Main.run(new String[] {"run", "demo", "--plain"},
        Map.of("TESSERA_HOME", dir.resolve("host/.tessera").toString(),
            "MLFLOW_TRACKING_URI", dir.resolve("host/mlruns").toString()),
        new PrintWriter(hostOut), new PrintWriter(hostErr));
    assertEquals(0, code, hostErr.toString());
    return stageLines(hostOut.toString());
  }

  @Test
  void theImageRunsWithThePomsJvmFlags() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher flags = Pattern.compile("<tessera.jvm.flags>([^<]*)</tessera.jvm.flags>").matcher(pom);
    assertTrue(flags.find(), "pom.xml defines tessera.jvm.flags");
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    assertTrue(dockerfile.contains("TESSERA_JVM_FLAGS=\"" + flags.group(1).strip() + "\""),
        "docker/Dockerfile sets TESSERA_JVM_FLAGS to pom.xml's tessera.jvm.flags: " + flags.group(1));
  }

  @Test
  void theDockerfilesPassHadolintAndComposeResolves() {
    PythonEnv tools = PythonEnv.of("python/docker-requirements.txt");
    for (String file : List.of("docker/Dockerfile", "docker/Dockerfile.cuda")) {
      PythonEnv.exec(List.of(tools.bin("hadolint").toString(), ROOT.resolve(file).toString()), Map.of(),
          Duration.ofMinutes(1));
    }
    Map<String, String> env = new HashMap<>(PODMAN_ENV);
    env.put("PATH", tools.home().resolve("bin") + ":" + System.getenv("PATH"));
    // podman-compose resolves the file (profiles, defaults); the script checks what it leaves unchecked.
    String config = PythonEnv.exec(List.of(tools.bin("podman-compose").toString(), "--profile", "cli", "-f",
        ROOT.resolve("docker/compose.yaml").toString(), "config"), env, Duration.ofMinutes(1));
    Path resolved = dir.resolve("compose.resolved.yaml");
    Path check = dir.resolve("check_compose.py");
    try {
      Files.writeString(resolved, config);
      Files.writeString(check, String.join("\n",
          "import sys, yaml",
          "c = yaml.safe_load(open(sys.argv[1]))",
          "services, volumes = c['services'], c.get('volumes') or {}",
          "for name, s in services.items():",
          "    assert 'image' in s or 'build' in s, name + ' has neither image nor build'",
          "    for d in s.get('depends_on', {}):",
          "        assert d in services, name + ' depends on the undefined service ' + d",
          "    for v in s.get('volumes', []):",
          "        src = v.split(':')[0] if isinstance(v, str) else v.get('source', '')",
          "        assert src.startswith(('.', '/')) or src in volumes, name + ' mounts the undeclared volume ' + src",
          "print(' '.join(sorted(services)), services['tessera']['build']['dockerfile'])",
          ""));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String summary = tools.run(check, List.of(resolved.toString()), Map.of());
    assertEquals("flink-jobmanager flink-taskmanager mlflow tessera docker/Dockerfile", summary.strip(), config);
  }

  /** The run's summary table without its time column: stage, status, items, result. */
  private static List<String> stageLines(String output) {
    List<String> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : output.lines().toList()) {
      if (line.strip().startsWith("STAGE ")) {
        inTable = true;
      } else if (inTable && line.isBlank()) {
        break;
      } else if (inTable) {
        List<String> cells = new ArrayList<>(List.of(line.strip().split("\\s+")));
        cells.remove(2);
        rows.add(String.join(" ", cells));
      }
    }
    assertTrue(rows.size() > 0, "a run summary table in:\n" + output);
    return rows;
  }

  private static String podman(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("podman", "--runtime", runtime));
    command.addAll(List.of(args));
    return PythonEnv.exec(command, PODMAN_ENV, timeout);
  }
}
