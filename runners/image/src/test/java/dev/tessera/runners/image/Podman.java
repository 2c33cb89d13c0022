package dev.tessera.runners.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.testing.PythonEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The podman of the image tests, set up by {@code docker/local-base-image.sh} (no registry serves images here: the
 * script builds the base images from Debian packages, and installs podman, runc and mmdebstrap with apt when they
 * are missing, which needs root), and the images of {@code docker/} built from this build's packaged jars, each at
 * most once per test JVM however many test classes use it.
 */
final class Podman {
  /** The repository root: the tests run in runners/image. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent().getParent();
  private static final String TESSERA_IMAGE = "localhost/tessera:it";
  private static final String MLFLOW_IMAGE = "localhost/tessera-mlflow:it";
  private static Podman shared;

  private final Map<String, String> settings;
  private boolean tesseraBuilt;
  private boolean mlflowBuilt;

  private Podman(Map<String, String> settings) {
    this.settings = settings;
  }

  /** The podman of this JVM; skips the calling test when podman is missing and cannot be installed. */
  static synchronized Podman get() {
    if (shared == null) {
      boolean root = "root".equals(System.getProperty("user.name"));
      assumeTrue(root || PythonEnv.onPath("podman"),
          "podman is not installed and this test does not run as root, so docker/local-base-image.sh cannot "
              + "install it with apt-get: install podman, runc and mmdebstrap, or run as root");
      String out = PythonEnv.exec(List.of("bash", ROOT.resolve("docker/local-base-image.sh").toString()),
          Map.of(), Duration.ofMinutes(20));
      Matcher m = Pattern.compile("export (\\w+)='([^']*)'").matcher(out);
      Map<String, String> settings = new HashMap<>();
      while (m.find()) {
        settings.put(m.group(1), m.group(2));
      }
      assertEquals(List.of("CONTAINERS_CONF", "MLFLOW_BASE_IMAGE", "PODMAN_RUNTIME", "TESSERA_BASE_IMAGE"),
          settings.keySet().stream().sorted().toList(), "the settings the script prints:\n" + out);
      shared = new Podman(settings);
    }
    return shared;
  }

  /** The setting {@code name} the script printed (CONTAINERS_CONF, PODMAN_RUNTIME, ..._BASE_IMAGE). */
  String setting(String name) {
    return settings.get(name);
  }

  /** The environment podman needs here (its containers.conf). */
  Map<String, String> env() {
    return Map.of("CONTAINERS_CONF", settings.get("CONTAINERS_CONF"));
  }

  /** Runs {@code podman --runtime <runc> args...} and returns its output; fails with it on a non-zero exit. */
  String run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of("podman", "--runtime", setting("PODMAN_RUNTIME")));
    command.addAll(List.of(args));
    return PythonEnv.exec(command, env(), timeout);
  }

  /** The ids of the images without a tag. */
  private Set<String> dangling() {
    return run(Duration.ofSeconds(30), "images", "--quiet", "--no-trunc", "--filter", "dangling=true").lines()
        .map(String::strip).filter(id -> !id.isEmpty()).collect(Collectors.toSet());
  }

  private void removeQuietly(String imageId) {
    try {
      run(Duration.ofMinutes(1), "rmi", imageId);
    } catch (AssertionError inUse) {
      // a container of another run still uses it: it goes with that container's image, later
    }
  }

  /** The last {@code lines} lines {@code container} wrote to stdout and stderr, or why they cannot be read. */
  String logs(String container, int lines) {
    try {
      return PythonEnv.exec(List.of("sh", "-c", "exec podman --runtime \"$0\" logs --tail \"$1\" \"$2\" 2>&1",
          setting("PODMAN_RUNTIME"), String.valueOf(lines), container), env(), Duration.ofSeconds(30));
    } catch (AssertionError e) {
      return "(no logs: " + e.getMessage() + ")\n";
    }
  }

  /**
   * The CPU image of {@code docker/Dockerfile} on the Debian base with the jars of runners/cli, runners/flink and
   * runners/spark ({@code JARS=prebuilt}), built on first use; skips when those jars are not packaged.
   */
  synchronized String tesseraImage() {
    if (!tesseraBuilt) {
      for (String packaged : List.of("runners/cli/target/tessera-cli.jar", "runners/flink/target/lib",
          "runners/spark/target/tessera-runner-spark.jar", "runners/spark/target/lib")) {
        assumeTrue(Files.exists(ROOT.resolve(packaged)),
            ROOT.resolve(packaged) + " is missing: run this test through Maven's verify (package first)");
      }
      Set<String> danglingBefore = dangling();
      // --format docker keeps the HEALTHCHECK, which the OCI image format has no field for.
      run(Duration.ofMinutes(15), "build", "--format", "docker", "--network=host", "-f",
          ROOT.resolve("docker/Dockerfile").toString(), "--build-arg", "BASE_IMAGE=" + setting("TESSERA_BASE_IMAGE"),
          "--build-arg", "JARS=prebuilt", "-t", TESSERA_IMAGE, ROOT.toString());
      // Every build has new jars: its stages' images and the last run's image, now untagged (1.7-2.6 GB), would
      // only pile up run after run. Those this build left dangling go; one a container still uses stays.
      dangling().stream().filter(id -> !danglingBefore.contains(id)).forEach(this::removeQuietly);
      tesseraBuilt = true;
    }
    return TESSERA_IMAGE;
  }

  /**
   * The MLflow server image of {@code docker/Dockerfile.mlflow} on the Debian Python base, built on first use (pip
   * installs MLflow from PyPI: minutes the first time on a machine, then podman's layer cache). The machine's CA
   * bundle goes in as the build's "ca" secret, for egress through a TLS-inspecting proxy.
   */
  synchronized String mlflowImage() {
    if (!mlflowBuilt) {
      List<String> args = new ArrayList<>(List.of("build", "--format", "docker", "--network=host", "-f",
          ROOT.resolve("docker/Dockerfile.mlflow").toString(),
          "--build-arg", "BASE_IMAGE=" + setting("MLFLOW_BASE_IMAGE"), "-t", MLFLOW_IMAGE));
      Path bundle = Path.of("/etc/ssl/certs/ca-certificates.crt");
      if (Files.isReadable(bundle)) {
        args.addAll(List.of("--secret", "id=ca,src=" + bundle));
      }
      args.add(ROOT.resolve("docker").toString());
      run(Duration.ofMinutes(20), args.toArray(String[]::new));
      mlflowBuilt = true;
    }
    return MLFLOW_IMAGE;
  }
}
