package dev.tessera.stages.ingest;

import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of {@link Ingest}.
 *
 * @param dataset a dataset name from the catalog, such as {@code mnist}
 * @param samplesPerShard how many samples each Arrow shard holds (shards are the unit of parallel work)
 * @param limit at most this many samples per split, the first ones (for quick trials); 0 for all
 */
public record IngestSpec(String dataset, int samplesPerShard, int limit) implements StageSpec {
  public IngestSpec {
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("ingest.dataset must name a catalog dataset, such as 'mnist', but was '"
          + dataset + "'");
    }
    if (samplesPerShard < 100 || samplesPerShard > 1_000_000) {
      throw new IllegalArgumentException(
          "ingest.samplesPerShard must be in [100, 1000000], but was " + samplesPerShard);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("ingest.limit must be >= 0 (0 = every sample), but was " + limit);
    }
  }
}
