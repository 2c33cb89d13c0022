package dev.tessera.pipelines.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetManifestTest {
  @TempDir Path dir;

  private DatasetManifest writeDataset() throws IOException {
    ShardInfo train0 = ShardWriterTest.write(dir.resolve("train-00000.arrow"), TestSamples.grays(4), 2);
    ShardInfo train1 = ShardWriterTest.write(dir.resolve("train-00001.arrow"), TestSamples.grays(3), 2);
    ShardInfo test0 = ShardWriterTest.write(dir.resolve("test-00000.arrow"), TestSamples.mixed(), 2);
    DatasetManifest manifest = DatasetManifest.of("toy", TestSamples.CLASSES,
        Map.of("train", List.of(train0, train1), "test", List.of(test0)));
    manifest.write(dir);
    return manifest;
  }

  @Test
  void writesAndReadsTotalsAndDigest() throws IOException {
    DatasetManifest manifest = writeDataset();
    DatasetManifest read = DatasetManifest.read(dir);
    assertEquals(manifest, read);
    assertEquals(12, read.totalRows());
    assertEquals(7, read.splits().get("train").rows());
    assertEquals(List.of(), read.verify(dir));
    String json = Files.readString(dir.resolve(DatasetManifest.FILE_NAME));
    assertTrue(json.contains("\"schema_version\" : 1"), json);
    assertTrue(json.contains("\"file\" : \"train-00001.arrow\""), json);
  }

  @Test
  void digestDependsOnlyOnShardContents() throws IOException {
    DatasetManifest manifest = writeDataset();
    ShardInfo a = manifest.splits().get("train").shards().get(0);
    ShardInfo b = manifest.splits().get("train").shards().get(1);
    ShardInfo c = manifest.splits().get("test").shards().get(0);
    DatasetManifest reordered = DatasetManifest.of("toy", TestSamples.CLASSES,
        Map.of("train", List.of(c, b), "test", List.of(a)));
    assertEquals(manifest.digest(), reordered.digest());
  }

  @Test
  void verifyNamesTheShardWithAFlippedByte() throws IOException {
    DatasetManifest manifest = writeDataset();
    Path victim = dir.resolve("train-00001.arrow");
    byte[] bytes = Files.readAllBytes(victim);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(victim, bytes);

    List<ShardProblem> problems = manifest.verify(dir);
    assertEquals(1, problems.size());
    assertEquals("train", problems.get(0).split());
    assertEquals("train-00001.arrow", problems.get(0).file());

    CorruptDatasetException e = assertThrows(CorruptDatasetException.class, () -> manifest.requireIntact(dir));
    assertTrue(e.getMessage().startsWith("dataset 'toy' in " + dir + ": 1 of 3 shards do not match shards.json:\n"
        + "  train/train-00001.arrow: sha256 is "), e.getMessage());
  }

  @Test
  void verifyReportsAMissingShard() throws IOException {
    DatasetManifest manifest = writeDataset();
    Files.delete(dir.resolve("test-00000.arrow"));
    assertEquals("test/test-00000.arrow: file is missing", manifest.verify(dir).get(0).describe());
  }

  @Test
  void rejectsAHandEditedManifest() throws IOException {
    writeDataset();
    Path file = dir.resolve(DatasetManifest.FILE_NAME);
    Files.writeString(file, Files.readString(file).replace("\"total_rows\" : 12", "\"total_rows\" : 13"));
    IOException e = assertThrows(IOException.class, () -> DatasetManifest.read(dir));
    assertTrue(e.getMessage().startsWith(file + " is inconsistent"), e.getMessage());
  }
}
