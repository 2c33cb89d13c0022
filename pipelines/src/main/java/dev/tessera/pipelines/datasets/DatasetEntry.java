package dev.tessera.pipelines.datasets;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A dataset the catalog can provide: its files with their checksums and the places that hold them.
 *
 * <p>Single-file datasets (IDX) list their files one by one, and each upstream base URL serves
 * {@code <base URL><file name>.gz}. Datasets of many files (image trees) list them in a committed checksum
 * resource ({@link DatasetFile#checksumResource}); their upstreams are published as archives ({@link #archives()}),
 * which the catalog downloads and unpacks when the cache, the offline mirror and the local sources lack a file.
 *
 * @param name catalog name, such as {@code mnist}; also the folder name in the cache and the mirror
 * @param description one line: what it is, its license
 * @param files the files, with the SHA-256 of their uncompressed bytes
 * @param upstreams base URLs ending in '/', tried in order, each serving {@code <file>.gz}
 * @param localSources directories on this machine that may hold {@code <file>} or {@code <file>.gz}, tried after
 *     the mirror, such as the install directory of an operating-system package
 * @param archives upstream zip archives holding the dataset's files, tried in order after the per-file upstreams
 */
public record DatasetEntry(String name, String description, List<DatasetFile> files, List<URI> upstreams,
    List<Path> localSources, List<DatasetArchive> archives) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

  public DatasetEntry {
    Objects.requireNonNull(name, "dataset.name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "dataset.name must match " + NAME.pattern() + " (lower-case, digits, '-'), but was '" + name + "'");
    }
    description = description == null ? "" : description;
    files = List.copyOf(files);
    upstreams = List.copyOf(upstreams);
    localSources = List.copyOf(localSources == null ? List.of() : localSources);
    archives = List.copyOf(archives == null ? List.of() : archives);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("dataset '" + name + "' must list at least one file");
    }
    Set<String> seen = new HashSet<>();
    for (DatasetFile file : files) {
      if (!seen.add(file.name())) {
        throw new IllegalArgumentException("dataset '" + name + "' lists file '" + file.name() + "' twice");
      }
    }
    for (URI base : upstreams) {
      if (!base.toString().endsWith("/")) {
        throw new IllegalArgumentException(
            "dataset '" + name + "': upstream base URL must end with '/', but was '" + base + "'");
      }
    }
  }

  /** An entry whose files come from per-file upstreams only (no local source, no archive). */
  public DatasetEntry(String name, String description, List<DatasetFile> files, List<URI> upstreams) {
    this(name, description, files, upstreams, List.of(), List.of());
  }

  /** A copy whose files come from these archives (after the mirror, the local sources and the upstreams). */
  public DatasetEntry withArchives(List<DatasetArchive> value) {
    return new DatasetEntry(name, description, files, upstreams, localSources, value);
  }

  /** A copy that also looks for the files in these local directories (after the mirror). */
  public DatasetEntry withLocalSources(List<Path> directories) {
    return new DatasetEntry(name, description, files, upstreams, directories, archives);
  }

  /** Where upstream {@code base} serves {@code file}: {@code base + file.name + ".gz"}. */
  public static URI upstreamUri(URI base, DatasetFile file) {
    return base.resolve(file.name() + ".gz");
  }
}
