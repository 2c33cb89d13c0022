package dev.tessera.pipelines.exec;

import dev.tessera.pipelines.artifact.Digests;
import dev.tessera.pipelines.spec.Specs;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a stage's cache key is made of (docs/ARCHITECTURE.md, "Cache"). Two runs share a stage's output
 * exactly when all of these are equal.
 *
 * @param stageKind the stage's {@code kind()}
 * @param spec the canonical JSON of the stage's spec
 * @param implementation SHA-256 over the code the stage reaches (see {@link Fingerprints#ofStage})
 * @param inputs input stage name → the digest of the artifact it produced
 * @param environment result-affecting environment (engine versions, device type, the seed where used)
 * @param code what {@code implementation} covers: {@code class:<name>} and {@code jar:<file>} → a short digest,
 *     kept so that {@code explain-cache} can name the class whose bytecode changed (empty in runs recorded before
 *     Tessera kept it)
 */
public record CacheKeyParts(
    String stageKind,
    String spec,
    String implementation,
    Map<String, String> inputs,
    Map<String, String> environment,
    Map<String, String> code) {

  public CacheKeyParts {
    inputs = new TreeMap<>(inputs);
    environment = new TreeMap<>(environment);
    code = code == null ? new TreeMap<>() : new TreeMap<>(code);
  }

  /**
   * The key: SHA-256 (hex) of these parts' canonical JSON, without {@link #code} (which {@link #implementation}
   * already covers).
   */
  public String key() {
    return Digests.sha256Hex(Specs.canonicalJson(new Object[] {stageKind, spec, implementation, inputs, environment}));
  }
}
