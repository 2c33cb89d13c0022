package dev.tessera.pipelines.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a dataset, by its uncompressed name and the SHA-256 of its uncompressed bytes (gzip output differs
 * between compressors, so compressed digests would reject good mirrors).
 *
 * @param name the uncompressed file name relative to the dataset folder, such as {@code train-images-idx3-ubyte}
 *     or {@code BCCD/JPEGImages/BloodImage_00000.jpg} ('/'-separated; no empty, hidden or {@code ..} segment);
 *     a per-file upstream serves {@code name + ".gz"}
 * @param sha256 lower-case hex SHA-256 of the uncompressed bytes
 */
public record DatasetFile(String name, String sha256) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public DatasetFile {
    Objects.requireNonNull(name, "file.name");
    Objects.requireNonNull(sha256, "file.sha256");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("file.name must be a relative path of plain names (letters, digits, '.', "
          + "'_', '-'; segments separated by '/', none hidden), but was '" + name + "'");
    }
    if (!HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "file.sha256 of '" + name + "' must be 64 lower-case hex digits, but was '" + sha256 + "'");
    }
  }

  /**
   * Reads a checksum list in {@code sha256sum} format: one {@code <sha256>  <relative path>} per line, {@code #}
   * comments and blank lines ignored. The catalog's lists for multi-file datasets are such resources, made once
   * from a verified copy of the dataset with:
   *
   * <pre>{@code
   * cd <mirror>/<dataset> && find . -type f ! -name '*.cache' | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum
   * }</pre>
   *
   * @param where names the list in error messages
   */
  public static List<DatasetFile> readChecksumList(InputStream in, String where) {
    List<DatasetFile> files = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
          continue;
        }
        int space = text.indexOf(' ');
        if (space != 64) {
          throw new IllegalArgumentException(where + " line " + number + ": expected '<64 hex digits>  <path>', "
              + "but was '" + line + "'");
        }
        String path = text.substring(space).strip();
        files.add(new DatasetFile(path.startsWith("*") ? path.substring(1) : path, text.substring(0, 64)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checksum list " + where, e);
    }
    return List.copyOf(files);
  }

  /** {@link #readChecksumList} of a class path resource next to {@code anchor}. */
  public static List<DatasetFile> checksumResource(Class<?> anchor, String resource) {
    InputStream in = anchor.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("checksum list resource '" + resource + "' is missing beside "
          + anchor.getName() + "; the build must copy src/main/resources");
    }
    return readChecksumList(in, resource);
  }
}
