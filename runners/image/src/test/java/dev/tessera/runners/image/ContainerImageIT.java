package dev.tessera.runners.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU image of {@code docker/Dockerfile}, built and run with podman: a base image made from Debian packages by
 * {@code docker/local-base-image.sh} (no registry serves images here; the script installs podman, runc and
 * mmdebstrap with apt when they are missing, which needs root), the CLI jars of this build ({@code JARS=prebuilt}),
 * and of both runner modules, then {@code tessera --help} and {@code tessera run demo} inside a container, which
 * prints the same stage lines as the host, and a limited {@code mnist-lenet} on Flink and on Spark (needs
 * {@code TESSERA_DATA_MIRROR}). This module comes after runners/cli, runners/flink and runners/spark in the reactor,
 * so their packaged jars are there when the image is built ({@link Podman} builds it once per test JVM, for
 * {@link ComposeStackIT} too). The compose file is resolved by podman-compose, as published and with its override for
 * machines without a registry, and the Dockerfiles pass hadolint (both from PyPI).
 */
class ContainerImageIT {
  private static final Path ROOT = Podman.ROOT;
  @TempDir Path dir;

  @Test
  void theCpuImageRunsTheDemoLikeTheHost() throws IOException {
    String help = podman(Duration.ofMinutes(2), "run", "--rm", "--network=none", image(), "--help");
    assertTrue(help.contains("Usage: tessera"), help);
    Path work = workFolder("direct");
    String inContainer = podman(Duration.ofMinutes(5), "run", "--rm", "--network=none", "-v", work + ":/work",
        image(), "run", "demo", "--plain");
    assertEquals(hostStageLines(), RunSummary.stageLines(inContainer),
        "the container's run reads like the host's:\n--- container ---\n" + inContainer);
    assertTrue(Files.isDirectory(work.resolve(".tessera/artifacts")), "artifacts land in the mounted /work");
  }

  /**
   * A limited {@code mnist-lenet} (its Beam stages ingest and preprocess, then DJL's training and evaluation) on
   * Flink's embedded cluster and on Spark's {@code local[2]}, each in its own container with the data mirror
   * mounted read-only: both runners' jars are in the image, and both runs print the same stage results.
   */
  @Test
  void theImageRunsMnistLenetOnFlinkAndSpark() throws IOException {
    Path data = DataMirror.withMnist();
    Map<String, List<String>> results = new HashMap<>();
    for (List<String> runner : List.of(List.of("--runner=FlinkRunner", "--flinkMaster=[local]"),
        List.of("--runner=SparkRunner", "--sparkMaster=local[2]"))) {
      String name = runner.get(0).substring("--runner=".length());
      List<String> args = new ArrayList<>(List.of("run", "--rm", "--network=none", "-v",
          workFolder(name) + ":/work", "-v", data + ":/data:ro", "-e", "TESSERA_DATA_MIRROR=/data", image(),
          "run", "mnist-lenet", "--plain", "--set", "ingest.limit=200", "--set", "train.epochs=1"));
      args.addAll(runner);
      String out = podman(Duration.ofMinutes(10), args.toArray(String[]::new));
      List<String> rows = RunSummary.stageLines(out);
      assertEquals(List.of("ingest", "preprocess", "train", "evaluate"),
          rows.stream().map(r -> r.split(" ")[0]).toList(), out);
      assertTrue(rows.stream().allMatch(r -> r.split(" ")[1].equals("succeeded")), name + ":\n" + out);
      // Training is seeded: both runs read the same samples and reach the same metrics; only the time differs.
      results.put(name, rows.stream().map(r -> r.replaceAll(" seconds=\\S+", "")).toList());
    }
    assertEquals(results.get("FlinkRunner"), results.get("SparkRunner"),
        "Flink and Spark ingest and preprocess the same samples, and the seeded training then reads alike");
  }

  /** The CPU image, built once per test JVM (the compose test uses it too). */
  private static String image() {
    return Podman.get().tesseraImage();
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
    return RunSummary.stageLines(hostOut.toString());
  }

  @Test
  void theImageAndTheComposeTaskManagersRunWithThePomsJvmFlags() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    Matcher flags = Pattern.compile("<tessera.jvm.flags>([^<]*)</tessera.jvm.flags>").matcher(pom);
    assertTrue(flags.find(), "pom.xml defines tessera.jvm.flags");
    String expected = flags.group(1).strip();
    String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
    assertTrue(dockerfile.contains("TESSERA_JVM_FLAGS=\"" + expected + "\""),
        "docker/Dockerfile sets TESSERA_JVM_FLAGS to pom.xml's tessera.jvm.flags: " + expected);
    String compose = Files.readString(ROOT.resolve("docker/compose.yaml"));
    assertTrue(compose.contains("env.java.opts.all: " + expected + "\n"),
        "docker/compose.yaml gives its TaskManagers pom.xml's tessera.jvm.flags as env.java.opts.all: " + expected);
  }

  /**
   * hadolint passes the Dockerfiles, and podman-compose resolves the compose file as published (Docker Hub's
   * images, a bridge network, published ports) and with the override for machines without a registry (images
   * built here, the host's network, no published ports); ComposeStackIT runs the latter.
   */
  @Test
  void theDockerfilesPassHadolintAndComposeResolves() throws IOException {
    PythonEnv tools = PythonEnv.of("python/docker-requirements.txt");
    for (String file : List.of("docker/Dockerfile", "docker/Dockerfile.cuda", "docker/Dockerfile.mlflow")) {
      PythonEnv.exec(List.of(tools.bin("hadolint").toString(), ROOT.resolve(file).toString()), Map.of(),
          Duration.ofMinutes(1));
    }
    Path check = dir.resolve("check_compose.py");
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
        "print(' '.join(sorted({s.get('image', '-') for s in services.values()})))",
        "print(' '.join(sorted({s.get('network_mode', 'bridge') + ('+ports' if s.get('ports') else '')",
        "                       for s in services.values()})))",
        ""));
    assertEquals(List.of("flink-jobmanager flink-taskmanager mlflow tessera docker/Dockerfile",
        "flink:1.19-java17 tessera tessera-mlflow", "bridge bridge+ports"),
        resolvedCompose(tools, check, "docker/compose.yaml"));
    assertEquals(List.of("flink-jobmanager flink-taskmanager mlflow tessera docker/Dockerfile",
        "localhost/tessera-mlflow localhost/tessera:cpu", "host"),
        resolvedCompose(tools, check, "docker/compose.yaml", "docker/compose.local.yaml"));
  }

  /** What {@code check} prints of the compose files resolved by podman-compose (profiles, defaults, overrides). */
  private List<String> resolvedCompose(PythonEnv tools, Path check, String... files) throws IOException {
    Map<String, String> env = new HashMap<>(Podman.get().env());
    env.put("PATH", tools.home().resolve("bin") + ":" + System.getenv("PATH"));
    env.put("FLINK_HOME", "/opt/flink"); // the override requires it; only its mount names it
    for (String name : List.of("TESSERA_IMAGE", "MLFLOW_IMAGE", "TESSERA_WORK", "TESSERA_DATA_MIRROR")) {
      env.put(name, ""); // the defaults, whatever this JVM's environment holds
    }
    List<String> command = new ArrayList<>(List.of(tools.bin("podman-compose").toString(), "--profile", "cli"));
    for (String file : files) {
      command.addAll(List.of("-f", ROOT.resolve(file).toString()));
    }
    command.add("config");
    String config = PythonEnv.exec(command, env, Duration.ofMinutes(1));
    Path resolved = dir.resolve("compose.resolved.yaml");
    Files.writeString(resolved, config);
    return tools.run(check, List.of(resolved.toString()), Map.of()).strip().lines().toList();
  }


  private static String podman(Duration timeout, String... args) {
    return Podman.get().run(timeout, args);
  }
}
