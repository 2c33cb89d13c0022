package dev.tessera.runners.image;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The offline data mirror ({@code TESSERA_DATA_MIRROR}) that the image tests mount into their containers. */
final class DataMirror {
  private DataMirror() {}

  /**
   * The absolute folder of the mirror, which holds {@code mnist/}; skips the calling test when
   * {@code TESSERA_DATA_MIRROR} is not set. A relative value is taken from the working directory, or else from
   * the repository root (CI's {@code ../shared/data} is relative to the checkout).
   */
  static Path withMnist() {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null, "TESSERA_DATA_MIRROR is not set: this test mounts the MNIST files of the mirror");
    Path data = Path.of(mirror).toAbsolutePath();
    return Files.isDirectory(data.resolve("mnist")) ? data : Podman.ROOT.resolve(mirror).normalize();
  }
}
