package dev.tessera.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * coco128 and BCCD through the offline mirror, and Fashion-MNIST from the Debian package's install directory;
 * each skipped with its reason where its source is absent (never downloaded by a test).
 */
class DetectionCatalogTest {
  @TempDir Path cache;

  private static Path mirrorWith(String dataset) {
    String mirror = System.getenv(DataSettings.MIRROR_ENV);
    assumeTrue(mirror != null && !mirror.isBlank(), "TESSERA_DATA_MIRROR is not set: this test copies the real "
        + dataset + " from an offline mirror (README, 'Useful environment')");
    assumeTrue(Files.isDirectory(Path.of(mirror, dataset)), "TESSERA_DATA_MIRROR=" + mirror + " has no " + dataset
        + "/ folder");
    return Path.of(mirror);
  }

  private DatasetCatalog catalog(Path mirror) {
    return DatasetCatalog.standard(new DataSettings(cache, mirror, java.time.Duration.ofSeconds(5),
        java.time.Duration.ofSeconds(5), false, true));
  }

  private static long count(Path dir, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).count();
    }
  }

  @Test
  void resolvesCoco128FromTheMirror() throws IOException {
    Path dir = catalog(mirrorWith("coco128")).resolve("coco128");
    assertEquals(128, count(dir.resolve("images/train"), ".jpg"));
    assertEquals(128, count(dir.resolve("labels/train"), ".txt"));
    assertTrue(Files.isRegularFile(dir.resolve("annotations/instances_train2017.json")));
  }

  @Test
  void resolvesBccdFromTheMirror() throws IOException {
    Path dir = catalog(mirrorWith("bccd")).resolve("bccd");
    assertEquals(364, count(dir.resolve("BCCD/JPEGImages"), ".jpg"));
    assertEquals(364, count(dir.resolve("BCCD/Annotations"), ".xml"));
    assertEquals(205, Files.readAllLines(dir.resolve("BCCD/ImageSets/Main/train.txt")).size());
  }

  @Test
  void resolvesIsbiMembraneFromTheMirror() throws IOException {
    Path dir = catalog(mirrorWith("isbi-membrane")).resolve("isbi-membrane");
    assertEquals(30, count(dir.resolve("membrane/train/image"), ".png"));
    assertEquals(30, count(dir.resolve("membrane/train/label"), ".png"));
    assertEquals(30, count(dir.resolve("membrane/test"), ".png"));
  }

  @Test
  void resolvesFashionMnistFromTheDebianPackage() throws IOException {
    Path installed = DatasetCatalog.FASHION_MNIST.localSources().get(0);
    assumeTrue(Files.isDirectory(installed), "the Debian package dataset-fashion-mnist is not installed ("
        + installed + " is absent); install it with apt-get to run this test");
    Path dir = DatasetCatalog.of(new DataSettings(cache, null, java.time.Duration.ofSeconds(5),
        java.time.Duration.ofSeconds(5), false, true), List.of(DatasetCatalog.FASHION_MNIST)).resolve("fashion-mnist");
    assertEquals(60000, IdxImages.open(dir.resolve("train-images-idx3-ubyte")).count());
    assertEquals(10000, IdxLabels.open(dir.resolve("t10k-labels-idx1-ubyte")).count());
  }
}
