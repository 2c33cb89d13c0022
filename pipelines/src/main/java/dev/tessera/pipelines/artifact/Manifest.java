package dev.tessera.pipelines.artifact;

import java.util.Map;
import java.util.Objects;

/**
 * The {@code manifest.json} of an artifact: what it is, how many items it holds, the digest of its content, and
 * which run and stage produced it.
 *
 * @param kind the artifact kind id, such as {@code dataset}
 * @param itemCount the number of items (samples, files, ...) in the artifact
 * @param digest {@code sha256:<hex>} over every file's relative path and bytes, excluding the manifest itself
 * @param runId the run that produced it
 * @param stage the stage that produced it
 * @param cacheKey the cache key it is stored under
 * @param createdAtMillis when it was published, in epoch milliseconds
 * @param properties free-form facts a stage adds (schema, class names, dataset digest, ...)
 */
public record Manifest(
    String kind,
    long itemCount,
    String digest,
    String runId,
    String stage,
    String cacheKey,
    long createdAtMillis,
    Map<String, String> properties) {

  /** The file name of the manifest inside an artifact directory. */
  public static final String FILE_NAME = "manifest.json";

  public Manifest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(digest, "digest");
    properties = properties == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
  }
}
