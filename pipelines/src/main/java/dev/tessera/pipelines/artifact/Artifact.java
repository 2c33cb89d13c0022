package dev.tessera.pipelines.artifact;

import java.nio.file.Path;

/**
 * A published, immutable artifact: a directory in the artifact store and its manifest.
 *
 * @param key the cache key the artifact is stored under (also its directory name)
 * @param directory the artifact's directory; never modify it
 * @param manifest the artifact's manifest
 */
public record Artifact(String key, Path directory, Manifest manifest) {

  /** A file inside the artifact. */
  public Path resolve(String relativePath) {
    return directory.resolve(relativePath);
  }

  /** The content digest, {@code sha256:<hex>}. */
  public String digest() {
    return manifest.digest();
  }
}
