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
    MessageDigest digest = sha256();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> !exclude.contains(root.relativize(p).toString()))
          .sorted((a, b) -> slashPath(root, a).compareTo(slashPath(root, b)))
          .toList();
    }
    for (Path file : files) {
      digest.update(slashPath(root, file).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(Long.toString(Files.size(file)).getBytes(StandardCharsets.US_ASCII));
      digest.update((byte) 0);
      try (InputStream in = Files.newInputStream(file)) {
        update(digest, in);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(digest.digest());
  }

  private static String slashPath(Path root, Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private static void update(MessageDigest digest, InputStream in) {
    byte[] buffer = new byte[1 << 16];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
