package dev.tessera.pipelines.artifact;

import java.util.Optional;

/**
 * The outcome of looking up and verifying an artifact: usable, or why not.
 *
 * @param artifact the verified artifact, if usable
 * @param reason why it is not usable ("not in the store", "digest mismatch: ..."); empty when usable
 */
public record Verification(Optional<Artifact> artifact, String reason) {

  static Verification ok(Artifact artifact) {
    return new Verification(Optional.of(artifact), "");
  }

  static Verification unusable(String reason) {
    return new Verification(Optional.empty(), reason);
  }

  public boolean usable() {
    return artifact.isPresent();
  }
}
