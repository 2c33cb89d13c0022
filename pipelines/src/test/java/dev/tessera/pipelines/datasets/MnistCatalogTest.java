package dev.tessera.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real MNIST through the offline mirror; skipped where {@code TESSERA_DATA_MIRROR} is not set. */
class MnistCatalogTest {
  @TempDir Path cache;

  @Test
  void resolvesTheRealMnistFromTheMirror() throws IOException {
    Map<String, String> env = System.getenv();
    String mirror = env.get(DataSettings.MIRROR_ENV);
    assumeTrue(mirror != null && !mirror.isBlank(),
        "TESSERA_DATA_MIRROR is not set: this test copies the real MNIST from an offline mirror"
            + " (a folder holding mnist/*.gz; README, 'Useful environment') and does not download 11 MB in a unit "
            + "test");
    assumeTrue(Files.isDirectory(Path.of(mirror, "mnist")),
        "TESSERA_DATA_MIRROR=" + mirror + " (" + Path.of(mirror).toAbsolutePath() + ") has no mnist/ folder");

    DataSettings settings = DataSettings.fromEnvironment(env, Path.of(System.getProperty("user.home")))
        .withCacheRoot(cache) // never touch the user's cache from a test
        .withProgress(false);
    Path dir = DatasetCatalog.standard(settings).resolve("mnist");

    IdxImages train = IdxImages.open(dir.resolve("train-images-idx3-ubyte"));
    IdxImages test = IdxImages.open(dir.resolve("t10k-images-idx3-ubyte"));
    assertEquals(60000, train.count());
    assertEquals(10000, test.count());
    assertEquals(28, train.rows());
    assertEquals(28, train.cols());
    assertEquals(60000, IdxLabels.open(dir.resolve("train-labels-idx1-ubyte")).count());
    assertEquals(10000, IdxLabels.open(dir.resolve("t10k-labels-idx1-ubyte")).count());
    assertEquals(5, IdxLabels.open(dir.resolve("train-labels-idx1-ubyte")).read(0, 1)[0], "MNIST's first digit is 5");
  }
}
