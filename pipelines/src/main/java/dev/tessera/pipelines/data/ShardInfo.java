package dev.tessera.pipelines.data;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A finished shard: its file name (relative to the dataset directory), row count and SHA-256 of the file's bytes.
 *
 * @param file file name, such as {@code train-00000.arrow}
 * @param rows number of samples in the shard, >= 0
 * @param sha256 lower-case hex SHA-256 of the whole file
 */
public record ShardInfo(String file, long rows, String sha256) implements java.io.Serializable {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public ShardInfo {
    Objects.requireNonNull(file, "shard.file");
    Objects.requireNonNull(sha256, "shard.sha256");
    if (rows < 0) {
      throw new IllegalArgumentException("shard '" + file + "': rows must be >= 0, but was " + rows);
    }
    if (!HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "shard '" + file + "': sha256 must be 64 lower-case hex digits, but was '" + sha256 + "'");
    }
  }
}
