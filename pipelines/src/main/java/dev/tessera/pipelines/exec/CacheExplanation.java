package dev.tessera.pipelines.exec;

import java.util.List;

/**
 * Why one stage would be served from the cache or run, for {@code tessera explain-cache}.
 *
 * @param stage the stage name
 * @param parts the cache key's parts, or null when an upstream stage must run first (its output digest is unknown)
 * @param hit true when a verified artifact with this key exists
 * @param reason one line: "cached by run X" or why not
 * @param changes what differs from the same stage in the last run (empty when nothing or no last run)
 */
public record CacheExplanation(String stage, CacheKeyParts parts, boolean hit, String reason,
    List<String> changes) {

  public CacheExplanation {
    changes = List.copyOf(changes);
  }

  /** The key, or null when unknown. */
  public String key() {
    return parts == null ? null : parts.key();
  }
}
