package dev.tessera.runners.cli.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.datasets.IdxImages;
import dev.tessera.runners.cli.Main;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera datasets export}: MNIST as an image folder that a second, larger export only adds to. */
class DatasetsExportCommandTest {
  @TempDir Path dir;

  private String[] tessera(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, environment, new PrintWriter(out), new PrintWriter(err));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  private static long pngs(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".png")).count();
    }
  }

  @Test
  void exportsTheFirstImagesOfEachSplitAndALargerLimitOnlyAddsFiles() throws Exception {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    Assumptions.assumeTrue(mirror != null && !mirror.isBlank(),
        "TESSERA_DATA_MIRROR is not set: MNIST's files are not available offline (CI sets it to ../shared/data)");
    Map<String, String> environment = new TreeMap<>(Map.of("TESSERA_HOME", dir.resolve("home").toString(),
        "TESSERA_DATA_MIRROR", mirror));
    Path folder = dir.resolve("digits");
    String[] first = tessera(environment, "datasets", "export", "mnist", "--to", folder.toString(), "--limit", "30");
    assertEquals("0", first[0], first[1] + first[2]);
    assertTrue(first[1].contains("train: 30 new, 0 kept") && first[1].contains("test: 30 new, 0 kept"), first[1]);
    assertEquals(60, pngs(folder));

    String[] grown = tessera(environment, "datasets", "export", "mnist", "--to", folder.toString(), "--limit", "40");
    assertTrue(grown[1].contains("train: 10 new, 30 kept"), grown[1]);
    assertEquals(80, pngs(folder));

    // The PNG holds the IDX image's bytes, in the folder of its label.
    Path png;
    try (Stream<Path> files = Files.walk(folder.resolve("train"))) {
      png = files.filter(f -> f.getFileName().toString().equals("train-00000.png")).findFirst().orElseThrow();
    }
    assertEquals("5", png.getParent().getFileName().toString(), "MNIST's first training digit is a 5");
    BufferedImage image = ImageIO.read(png.toFile());
    byte[] pixels = new byte[28 * 28];
    image.getRaster().getDataElements(0, 0, 28, 28, pixels);
    Path cache = dev.tessera.pipelines.datasets.DatasetCatalog.standard(dev.tessera.pipelines.datasets.DataSettings
        .fromEnvironment(environment, Path.of(System.getProperty("user.home")))).resolve("mnist");
    assertArrayEquals(IdxImages.open(cache.resolve("train-images-idx3-ubyte")).read(0, 1), pixels);
  }

  @Test
  void anUnknownDatasetIsAUsageErrorNamingTheOnesItCanExport() {
    String[] result = tessera(Map.of("TESSERA_HOME", dir.toString()), "datasets", "export", "coco128", "--to",
        dir.resolve("x").toString());
    assertEquals(Integer.toString(Main.USAGE), result[0], result[1] + result[2]);
    assertTrue(result[2].contains("DATASET 'coco128' cannot be exported; allowed: "), result[2]);
  }
}
