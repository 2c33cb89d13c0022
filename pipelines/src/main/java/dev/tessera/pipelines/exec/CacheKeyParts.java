package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.spec.Specs;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a stage's cache key is made of (DESIGN §3). Two runs share a stage's output exactly when all of these
 * are equal.
 *
 * @param stageKind the stage's {@code kind()}
 * @param spec the canonical JSON of the stage's spec
 * @param implementation SHA-256 of the bytecode of the stage's implementation classes
 * @param inputs input stage name → the digest of the artifact it produced
 * @param environment result-affecting environment (engine versions, device type, Tessera's version)
 */
public record CacheKeyParts(
    String stageKind,
    String spec,
    String implementation,
    Map<String, String> inputs,
    Map<String, String> environment) {

  public CacheKeyParts {
    inputs = new TreeMap<>(inputs);
    environment = new TreeMap<>(environment);
  }

  /** The key: SHA-256 (hex) of these parts' canonical JSON. */
  public String key() {
    return Digests.sha256Hex(Specs.canonicalJson(this));
  }
}
