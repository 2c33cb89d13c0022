package dev.tessera.pipelines.datasets;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A dataset the catalog can provide: its files with their checksums and the upstream places that serve them,
 * each as {@code <base URL><file name>.gz}.
 *
 * @param name catalog name, such as {@code mnist}; also the folder name in the cache and the mirror
 * @param description one line: what it is, its license
 * @param files the files, with the SHA-256 of their uncompressed bytes
 * @param upstreams base URLs ending in '/', tried in order
 */
public record DatasetEntry(String name, String description, List<DatasetFile> files, List<URI> upstreams) {
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

  /** Where upstream {@code base} serves {@code file}: {@code base + file.name + ".gz"}. */
  public static URI upstreamUri(URI base, DatasetFile file) {
    return base.resolve(file.name() + ".gz");
  }
}
