package dev.tessera.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.pipelines.artifact.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The committed checksum lists of multi-file datasets: their format, and (with a mirror) that they match it. */
class ChecksumListTest {

  @Test
  void readsSha256sumFormatWithCommentsAndRelativePaths() {
    String text = "# comment\n\n" + "a".repeat(64) + "  images/train/x.jpg\n" + "b".repeat(64) + " *LICENSE\n";
    List<DatasetFile> files = DatasetFile.readChecksumList(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    assertEquals(List.of(new DatasetFile("images/train/x.jpg", "a".repeat(64)),
        new DatasetFile("LICENSE", "b".repeat(64))), files);
  }

  @Test
  void rejectsMalformedLinesAndEscapingPaths() {
    assertThrows(IllegalArgumentException.class, () -> DatasetFile.readChecksumList(
        new ByteArrayInputStream("abc  x\n".getBytes(StandardCharsets.UTF_8)), "test"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DatasetFile("images/../../etc/passwd", "a".repeat(64)));
    assertTrue(e.getMessage().contains("relative path of plain names"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DatasetFile("/abs", "a".repeat(64)));
  }

  @Test
  void catalogListsTheDetectionDatasetsWithTheirFileCounts() {
    assertEquals(259, DatasetCatalog.COCO128.files().size());
    assertEquals(734, DatasetCatalog.BCCD.files().size());
    assertEquals(364, DatasetCatalog.BCCD.files().stream().filter(f -> f.name().endsWith(".jpg")).count());
    assertEquals(92, DatasetCatalog.ISBI_MEMBRANE.files().size());
    assertEquals(30, DatasetCatalog.ISBI_MEMBRANE.files().stream()
        .filter(f -> f.name().startsWith("membrane/train/label/")).count());
    assertEquals(List.of("bccd", "coco128", "fashion-mnist", "isbi-membrane", "mnist"),
        DatasetCatalog.standard(DataSettings.fromSystem()).names());
  }

  /** Regenerates each list from the mirror (as the documented command does) and compares it with the resource. */
  @ParameterizedTest
  @ValueSource(strings = {"coco128", "bccd", "isbi-membrane"})
  void committedListMatchesTheMirror(String dataset) throws IOException {
    String mirror = System.getenv(DataSettings.MIRROR_ENV);
    assumeTrue(mirror != null && !mirror.isBlank() && Files.isDirectory(Path.of(mirror, dataset)),
        "TESSERA_DATA_MIRROR is not set or has no " + dataset + "/ folder: nothing to compare the list with");
    Path root = Path.of(mirror, dataset);
    Map<String, String> actual = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".cache")).toList()) {
        actual.put(root.relativize(file).toString().replace('\\', '/'), Digests.sha256Hex(file));
      }
    }
    Map<String, String> committed = DatasetFile.checksumResource(DatasetCatalog.class, dataset + ".sha256")
        .stream().collect(Collectors.toMap(DatasetFile::name, DatasetFile::sha256, (a, b) -> a, TreeMap::new));
    assertEquals(actual, committed);
  }
}
