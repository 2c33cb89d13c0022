package dev.tessera.pipelines.exec;

import java.util.LinkedHashMap;
import java.util.Map;

/** The persisted state of one stage in a run ({@code run.json}). Mutated only under the run's lock. */
public final class StageRecord {
  public StageStatus status = StageStatus.PENDING;
  public String kind;
  public String cacheKey;
  public CacheKeyParts keyParts;
  /** Why the cache could not serve this stage, when it ran. */
  public String cacheMiss;
  /** For a cached stage, the run that produced its artifact. */
  public String reusedFromRun;
  public String artifactDigest;
  public long itemCount;
  public int attempts;
  public Long startedAtMillis;
  public Long endedAtMillis;
  public String error;
  public Map<String, Double> summary = new LinkedHashMap<>();

  /** The status, and the error of a failed stage: what a failing test's message should show. */
  @Override
  public String toString() {
    return status + (error == null ? "" : ": " + error);
  }

  /** Wall time of the stage in milliseconds, or 0 while not finished. */
  public long durationMillis() {
    return startedAtMillis == null || endedAtMillis == null ? 0 : endedAtMillis - startedAtMillis;
  }
}
