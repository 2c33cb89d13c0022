package dev.tessera.pipelines.exec;

import java.util.LinkedHashMap;

/** Copies of stage records for listeners, so they never see a record mid-update. */
final class StageRecords {
  private StageRecords() {}

  static StageRecord copy(StageRecord from) {
    StageRecord to = new StageRecord();
    to.status = from.status;
    to.kind = from.kind;
    to.cacheKey = from.cacheKey;
    to.keyParts = from.keyParts;
    to.cacheMiss = from.cacheMiss;
    to.reusedFromRun = from.reusedFromRun;
    to.artifactDigest = from.artifactDigest;
    to.itemCount = from.itemCount;
    to.attempts = from.attempts;
    to.startedAtMillis = from.startedAtMillis;
    to.endedAtMillis = from.endedAtMillis;
    to.error = from.error;
    to.summary = new LinkedHashMap<>(from.summary);
    return to;
  }
}
