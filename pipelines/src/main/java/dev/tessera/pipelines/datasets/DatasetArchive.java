package dev.tessera.pipelines.datasets;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An upstream zip archive holding (some of) a dataset's files, which the {@link DatasetCatalog} downloads and
 * unpacks when the cache, the mirror and the local sources lack a file.
 *
 * <p>{@code paths} maps a folder inside the archive to a folder of the dataset: an entry is taken if its name starts
 * with one of the keys (the longest matching key wins), and becomes that key's value followed by the rest of the
 * name. Entries that map to no file of the catalog entry are skipped; the ones that do must match the catalog's
 * SHA-256. Example, for a GitHub archive of a fixed commit, whose entries all sit in one top folder:
 *
 * <pre>{@code
 * new DatasetArchive(URI.create("https://github.com/owner/repo/archive/<commit>.zip"), null,
 *     Map.of("repo-<commit>/", ""));
 * }</pre>
 *
 * @param uri where the archive is served ({@code http} or {@code https})
 * @param sha256 the archive's own SHA-256 (lower-case hex), checked before unpacking; or {@code null} when it is not
 *     pinned, in which case only the per-file checksums protect the data (enough for integrity: every file the
 *     catalog takes is checked; a pinned digest additionally rejects a changed archive before it is unpacked)
 * @param paths archive folder (ending in '/', or "" for the root) to dataset folder (likewise)
 */
public record DatasetArchive(URI uri, String sha256, Map<String, String> paths) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public DatasetArchive {
    Objects.requireNonNull(uri, "archive.uri");
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("archive.uri must be an http or https URL, but was '" + uri + "'");
    }
    if (sha256 != null && !HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "archive.sha256 of " + uri + " must be 64 lower-case hex digits or null, but was '" + sha256 + "'");
    }
    if (paths == null || paths.isEmpty()) {
      throw new IllegalArgumentException("archive.paths of " + uri + " must map at least one archive folder to a "
          + "dataset folder (\"\" for the root), but was " + paths);
    }
    for (Map.Entry<String, String> e : paths.entrySet()) {
      if (!isFolder(e.getKey()) || !isFolder(e.getValue())) {
        throw new IllegalArgumentException("archive.paths of " + uri + ": '" + e.getKey() + "' -> '" + e.getValue()
            + "' must be folders: \"\" or relative paths ending in '/', without '..'");
      }
    }
    paths = Map.copyOf(new LinkedHashMap<>(paths));
  }

  /** An archive whose folder {@code prefix} (such as {@code "repo-<commit>/"}) is the dataset folder; unpinned. */
  public static DatasetArchive zip(URI uri, String prefix) {
    return new DatasetArchive(uri, null, Map.of(prefix, ""));
  }

  /** A copy served from another URL (a mirror of the archive, or a test server). */
  public DatasetArchive withUri(URI value) {
    return new DatasetArchive(value, sha256, paths);
  }

  /** A copy pinned to this archive SHA-256. */
  public DatasetArchive withSha256(String value) {
    return new DatasetArchive(uri, value, paths);
  }

  /** The dataset path of an archive entry, or {@code null} when no key of {@link #paths} is a prefix of it. */
  public String datasetPath(String entryName) {
    String best = null;
    for (String key : paths.keySet()) {
      if (entryName.startsWith(key) && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return best == null ? null : paths.get(best) + entryName.substring(best.length());
  }

  private static boolean isFolder(String path) {
    return path != null && (path.isEmpty() || (path.endsWith("/") && !path.startsWith("/")
        && !("/" + path).contains("/../") && !path.contains("\\")));
  }
}
