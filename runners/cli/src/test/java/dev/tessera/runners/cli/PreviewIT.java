package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bccd-detector-data on a few real BCCD images, then {@code tessera preview} of its stages. */
class PreviewIT {
  @TempDir Path home;

  private String[] tessera(String... args) {
    InProcessTessera.Result result = InProcessTessera.run(home, args);
    return new String[] {Integer.toString(result.exitCode()), result.out(), result.err()};
  }

  @Test
  void previewRendersADecodablePngFromTheLatestArtifact() throws Exception {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null && Files.isDirectory(Path.of(mirror, "bccd")),
        "TESSERA_DATA_MIRROR is not set or has no bccd/: this test ingests real BCCD images");
    String[] before = tessera("preview", "bccd-detector-data", "ingest");
    assertEquals("2", before[0], before[2]);
    assertTrue(before[2].contains("has no artifact"), before[2]);

    String[] run = tessera("run", "bccd-detector-data", "--set", "ingest.limit=4", "--plain", "--fail-on-bad-input");
    assertEquals("0", run[0], run[1] + run[2]);
    for (String stage : new String[] {"ingest", "augment"}) {
      String[] preview = tessera("preview", "bccd-detector-data", stage, "--set", "ingest.limit=4", "--count", "6");
      assertEquals("0", preview[0], preview[2]);
      Path png = Path.of(preview[1].strip());
      BufferedImage image = ImageIO.read(png.toFile());
      assertNotNull(image, png + " is a PNG");
      assertEquals(4 + 4 * (160 + 4), image.getWidth(), "four 160-pixel cells with 4-pixel gaps");
    }
  }
}
