package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.artifact.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** Implementation fingerprints: digests of classes' bytecode, so a code change invalidates cached outputs. */
public final class Fingerprints {
  private Fingerprints() {}

  /** SHA-256 (hex) over the bytecode of the classes, in the given order. */
  public static String ofClasses(List<Class<?>> classes) {
    MessageDigest digest = Digests.sha256();
    for (Class<?> type : classes) {
      String simple = type.getName().substring(type.getName().lastIndexOf('.') + 1);
      try (InputStream in = type.getResourceAsStream(simple + ".class")) {
        digest.update(type.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (in != null) {
          digest.update(in.readAllBytes());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the bytecode of " + type.getName(), e);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
