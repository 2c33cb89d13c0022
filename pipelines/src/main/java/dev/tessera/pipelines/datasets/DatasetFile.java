package dev.tessera.pipelines.datasets;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a dataset, by its uncompressed name and the SHA-256 of its uncompressed bytes (gzip output differs
 * between compressors, so compressed digests would reject good mirrors).
 *
 * @param name the uncompressed file name, such as {@code train-images-idx3-ubyte}; upstream serves
 *     {@code name + ".gz"}
 * @param sha256 lower-case hex SHA-256 of the uncompressed bytes
 */
public record DatasetFile(String name, String sha256) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public DatasetFile {
    Objects.requireNonNull(name, "file.name");
    Objects.requireNonNull(sha256, "file.sha256");
    if (!NAME.matcher(name).matches() || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "file.name must be a plain file name (letters, digits, '.', '_', '-'; not hidden), but was '" + name + "'");
    }
    if (!HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "file.sha256 of '" + name + "' must be 64 lower-case hex digits, but was '" + sha256 + "'");
    }
  }
}
