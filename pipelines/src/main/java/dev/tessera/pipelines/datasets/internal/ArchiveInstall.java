package dev.tessera.pipelines.datasets.internal;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.datasets.DatasetArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Downloads a {@link DatasetArchive} and installs the dataset files it holds, all or nothing: the archive goes to a
 * hidden temporary file in the cache root; if it is pinned, its SHA-256 is checked; every entry name is checked
 * (an absolute name, a {@code ..} segment or a backslash rejects the whole archive: no zip-slip); the entries that
 * map to files of the dataset are unpacked into a hidden staging folder beside the dataset folder, each checked
 * against its SHA-256; only when all of them passed are they renamed into the dataset folder (each rename atomic).
 * On any failure the staging folder and the download are deleted, so the cache never holds a partial or unchecked
 * file.
 */
public final class ArchiveInstall {
  private final VerifiedCopy copy;

  public ArchiveInstall(VerifiedCopy copy) {
    this.copy = copy;
  }

  /** The archive is unusable: corrupt, changed, or malicious. The message says why; nothing was installed. */
  public static final class ArchiveRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    public ArchiveRejectedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Installs the files of {@code archive} that {@code sha256ByName} lists (dataset path to SHA-256) into
   * {@code datasetDir}; returns the dataset paths installed (possibly not all listed ones: an archive may hold only
   * part of a dataset).
   */
  public Set<String> install(DatasetArchive archive, Map<String, String> sha256ByName, Path datasetDir,
      Duration connectTimeout, Duration readTimeout) throws IOException {
    Path root = datasetDir.toAbsolutePath().getParent();
    Files.createDirectories(root);
    String name = datasetDir.getFileName().toString();
    Path download = Files.createTempFile(root, "." + name + ".", ".zip.part");
    Path staging = null;
    try {
      Path urlPath = Path.of(archive.uri().getPath() == null ? "" : archive.uri().getPath()).getFileName();
      String fileName = urlPath == null ? name + ".zip" : urlPath.toString();
      String actual = copy.downloadFile(archive.uri(), download, fileName, connectTimeout, readTimeout);
      if (archive.sha256() != null && !archive.sha256().equals(actual)) {
        throw new ArchiveRejectedException("archive checksum mismatch: expected sha256 " + archive.sha256()
            + ", got " + actual + "; the archive was rejected, nothing was unpacked", null);
      }
      staging = Files.createTempDirectory(root, "." + name + ".unpack-");
      Map<String, Path> unpacked = unpack(download, archive, sha256ByName, staging);
      for (Map.Entry<String, Path> file : unpacked.entrySet()) {
        Path target = datasetDir.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.move(file.getValue(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return unpacked.keySet();
    } finally {
      Files.deleteIfExists(download);
      if (staging != null) {
        deleteTree(staging);
      }
    }
  }

  private static Map<String, Path> unpack(Path zip, DatasetArchive archive, Map<String, String> sha256ByName,
      Path staging) throws IOException {
    Map<String, Path> unpacked = new TreeMap<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      Enumeration<? extends ZipEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String entryName = entry.getName();
        if (escapes(entryName)) {
          throw new ArchiveRejectedException("entry '" + entryName + "' would be written outside the dataset folder "
              + "(zip-slip: absolute path, '..' or '\\'); the archive was rejected, nothing was unpacked", null);
        }
        String path = archive.datasetPath(entryName);
        if (entry.isDirectory() || path == null || !sha256ByName.containsKey(path)) {
          continue;
        }
        Path target = staging.resolve(path).normalize();
        if (!target.startsWith(staging) || unpacked.containsKey(path)) {
          throw new ArchiveRejectedException("entry '" + entryName + "' maps to " + path + (unpacked.containsKey(path)
              ? ", which an earlier entry already provided" : ", outside the dataset folder")
              + "; the archive was rejected, nothing was unpacked", null);
        }
        Files.createDirectories(target.getParent());
        MessageDigest digest = Digests.sha256();
        try (InputStream in = file.getInputStream(entry);
            OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
          in.transferTo(out);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256ByName.get(path))) {
          throw new ArchiveRejectedException("checksum mismatch for " + path + " (entry '" + entryName
              + "'): expected sha256 " + sha256ByName.get(path) + ", got " + actual
              + "; the archive was rejected, nothing was unpacked", null);
        }
        unpacked.put(path, target);
      }
    } catch (ZipException | java.io.EOFException e) {
      throw new ArchiveRejectedException("not a readable zip archive (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "); the archive was rejected, nothing was unpacked", e);
    }
    return unpacked;
  }

  /** Whether a zip entry name could leave the folder it is unpacked into. */
  static boolean escapes(String entryName) {
    if (entryName.isEmpty() || entryName.startsWith("/") || entryName.contains("\\")
        || entryName.matches("^[A-Za-z]:.*")) {
      return true;
    }
    for (String segment : entryName.split("/", -1)) {
      if (segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
