package dev.tessera.stages.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.testing.CachedInstall;
import dev.tessera.pipelines.testing.PythonEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A cluster distribution that PyPI ships inside a Python package ({@code apache-flink-libraries} holds Flink's
 * {@code lib/}, {@code pyspark} Spark's {@code jars/}), installed by the test build itself so a fresh machine needs
 * nothing but {@code python3}.
 *
 * <p>The package goes, without its dependencies, into {@code ~/.cache/tessera/<name>-<version>/site} (or under
 * {@code $TESSERA_DIST_CACHE}) with {@code pip install --target}; only the first build on a machine pays for the
 * download, and {@link CachedInstall} makes concurrent test JVMs wait for one install. Without {@code python3} the
 * calling test is skipped with that reason; a failing pip install fails it with pip's output.
 */
public final class PipDistribution {
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(20);

  private PipDistribution() {}

  /** The {@code site} folder holding the installed package {@code name==version}; installs it on first use. */
  public static synchronized Path install(String name, String version) {
    String base = System.getenv().getOrDefault(
        "TESSERA_DIST_CACHE", System.getProperty("user.home") + "/.cache/tessera");
    Path home = Path.of(base, name + "-" + version);
    if (!Files.exists(home.resolve(".tessera-ready"))) {
      assumeTrue(PythonEnv.onPath("python3"), "python3 is not on the PATH: it installs " + name + " for this test");
    }
    CachedInstall.once(home, name + "==" + version + "\n", folder ->
        PythonEnv.exec(List.of("python3", "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
            "--target", folder.resolve("site").toString(), name + "==" + version), Map.of(), INSTALL_TIMEOUT));
    return home.resolve("site");
  }
}
