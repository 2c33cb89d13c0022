package dev.tessera.pipelines.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDigestTest {
  @TempDir Path dir;

  @Test
  void changesWithFilesAndRereadsOnlyFilesWhoseSizeOrTimeChanged() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data/train/cat"));
    Files.writeString(data.resolve("a.png"), "aaaa");
    Files.writeString(data.resolve("b.png"), "bbbb");
    Path index = dir.resolve("index.json");
    String first = FolderDigest.of(dir.resolve("data"), index);
    assertEquals(first, FolderDigest.of(dir.resolve("data"), index), "nothing changed");

    Files.writeString(data.resolve("c.png"), "cccc");
    String added = FolderDigest.of(dir.resolve("data"), index);
    assertNotEquals(first, added, "a new image changes the digest");

    // Same size and modification time: the fast path keeps the indexed hash without reading the file.
    FileTime time = Files.getLastModifiedTime(data.resolve("a.png"));
    Files.writeString(data.resolve("a.png"), "AAAA");
    Files.setLastModifiedTime(data.resolve("a.png"), time);
    assertEquals(added, FolderDigest.of(dir.resolve("data"), index));
    // Without the index, the content is read: the edit shows.
    assertNotEquals(added, FolderDigest.of(dir.resolve("data"), dir.resolve("fresh-index.json")));

    Files.delete(data.resolve("c.png"));
    Files.move(data.resolve("b.png"), data.resolve("b2.png"));
    assertNotEquals(added, FolderDigest.of(dir.resolve("data"), index), "a rename changes the digest");
  }
}
