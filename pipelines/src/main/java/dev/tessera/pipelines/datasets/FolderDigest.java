package dev.tessera.pipelines.datasets;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.spec.Specs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The digest of a local dataset folder: SHA-256 over every file's relative path and content hash, so a new, removed,
 * renamed or edited file changes it. Content hashes are kept in an index file beside the caller's state, keyed by
 * path, size and modification time: a file whose size and time did not change is not read again (the fast path
 * {@code make} and {@code rsync} use; an edit that keeps both goes unnoticed, as it does there).
 *
 * <pre>{@code
 * String digest = FolderDigest.of(Path.of("/data/cells"), home.resolve("data-digests/cells.json"));
 * }</pre>
 */
public final class FolderDigest {
  private FolderDigest() {}

  /** One indexed file: its size, modification time (ms) and content SHA-256. */
  record Entry(long size, long modified, String sha256) {}

  /**
   * The index file of {@code folder} in the folder of indexes {@code indexes}: one file per dataset folder, named by
   * a hash of its path, so every caller that digests the folder (the cache key, {@code --when data-changed}) shares
   * one index and reads an unchanged file at most once.
   */
  public static Path indexIn(Path indexes, Path folder) {
    return indexes.resolve(Digests.sha256Hex(folder.toString()).substring(0, 16) + ".json");
  }

  /**
   * The folder's digest ({@code sha256:<hex>}), updating the index.
   *
   * @param folder the dataset folder
   * @param index where the content hashes are remembered (created if missing; rewritten atomically)
   */
  public static String of(Path folder, Path index) {
    Map<String, Entry> known = read(index);
    Map<String, Entry> now = new TreeMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String relative = folder.relativize(file).toString().replace('\\', '/');
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        long modified = attributes.lastModifiedTime().toMillis();
        Entry previous = known.get(relative);
        now.put(relative, previous != null && previous.size() == attributes.size() && previous.modified() == modified
            ? previous : new Entry(attributes.size(), modified, Digests.sha256Hex(file)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dataset folder " + folder, e);
    }
    write(index, now);
    StringBuilder text = new StringBuilder();
    now.forEach((path, entry) -> text.append(path).append(' ').append(entry.sha256()).append('\n'));
    return "sha256:" + Digests.sha256Hex(text.toString());
  }

  private static Map<String, Entry> read(Path index) {
    if (!Files.isRegularFile(index)) {
      return Map.of();
    }
    try {
      return Specs.mapper().readValue(index.toFile(), new TypeReference<TreeMap<String, Entry>>() {});
    } catch (IOException corrupt) {
      return Map.of(); // rebuilt from the files
    }
  }

  private static void write(Path index, Map<String, Entry> entries) {
    try {
      Files.createDirectories(index.toAbsolutePath().getParent());
      Path temp = Files.createTempFile(index.toAbsolutePath().getParent(), ".index-", ".json");
      Specs.mapper().writeValue(temp.toFile(), entries);
      Files.move(temp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the digest index " + index, e);
    }
  }
}
