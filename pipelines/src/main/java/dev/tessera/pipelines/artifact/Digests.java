package dev.tessera.pipelines.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** SHA-256 digests of bytes, files and directory trees, written as {@code sha256:<hex>} where a prefix is useful. */
public final class Digests {
  private Digests() {}

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Hex SHA-256 of a string's UTF-8 bytes. */
  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Hex SHA-256 of bytes. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** Hex SHA-256 of a file's bytes, streamed. */
  public static String sha256Hex(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      update(digest, in);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * {@code sha256:<hex>} over a directory tree: for every regular file in sorted relative-path order, its path
   * (with '/' separators), a NUL, its length and its bytes. Files named in {@code exclude} at the top level are
   * skipped (the manifest does not digest itself).
   */
  public static String ofTree(Path root, List<String> exclude) throws IOException {
    SortedMap<String, Content> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        if (!exclude.contains(root.relativize(file).toString())) {
          files.put(slashPath(root, file), new Content(Files.size(file), () -> Files.newInputStream(file)));
        }
      }
    }
    return ofFiles(files);
  }

  /** One file's length and a way to stream its bytes, wherever it is stored. */
  public record Content(long size, Opener opener) {}

  /** Opens a file's bytes. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * The digest {@link #ofTree} gives, over files named by their '/'-separated relative paths, wherever they are
   * stored (a local folder, objects in a bucket, or both): the same files give the same digest.
   */
  public static String ofFiles(SortedMap<String, Content> files) throws IOException {
    MessageDigest digest = sha256();
    for (Map.Entry<String, Content> file : files.entrySet()) {
      digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(Long.toString(file.getValue().size()).getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) 0);
      long read = 0;
      try (InputStream in = file.getValue().opener().open()) {
        read = update(digest, in);
      }
      if (read != file.getValue().size()) {
        throw new IOException(file.getKey() + " has " + read + " bytes, but its listing says "
            + file.getValue().size() + " (was it changed while being digested?)");
      }
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  private static String slashPath(Path root, Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private static long update(MessageDigest digest, InputStream in) {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        total += n;
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
