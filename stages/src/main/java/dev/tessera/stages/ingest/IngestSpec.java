package dev.tessera.stages.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of {@link Ingest}.
 *
 * @param dataset a catalog dataset ({@code mnist}, {@code fashion-mnist}, {@code coco128}, {@code bccd},
 *     {@code isbi-membrane}), or, with {@code path}, the name to give a local dataset (the first part of its sample
 *     ids)
 * @param path a local dataset folder to read instead of the catalog, or {@code ""}
 * @param format the layout; {@link SourceFormat#AUTO} uses the catalog's or detects a local folder's
 * @param samplesPerShard samples per Arrow shard (shards are the unit of parallel work), or 0 for the default:
 *     10,000 for IDX datasets, 64 for image datasets
 * @param limit at most this many samples per split, the first ones by id (for quick trials); 0 for all
 * @param keepEncoded whether samples keep their original encoded image bytes beside the pixels
 * @param failOnBadInput fail the stage on the first bad input instead of sending it to {@code dead_letter.jsonl}
 * @param holdout a validation split cut from {@code train} ({@link HoldoutSpec}), or {@code null} (the default) for
 *     the dataset's own splits; not for IDX datasets
 */
public record IngestSpec(String dataset, String path, SourceFormat format, int samplesPerShard, int limit,
    boolean keepEncoded, boolean failOnBadInput, @JsonInclude(JsonInclude.Include.NON_NULL) HoldoutSpec holdout)
    implements StageSpec {
  public IngestSpec {
    if (dataset == null || !dataset.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("ingest.dataset must be a dataset name (lower-case, digits, '-'), such as "
          + "'mnist', but was '" + dataset + "'");
    }
    path = path == null ? "" : path;
    if (format == null) {
      throw new IllegalArgumentException("ingest.format must be one of " + java.util.Arrays.toString(
          SourceFormat.values()) + ", but was null");
    }
    if (samplesPerShard < 0 || samplesPerShard > 1_000_000) {
      throw new IllegalArgumentException(
          "ingest.samplesPerShard must be in [0, 1000000] (0 = the dataset's default), but was " + samplesPerShard);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("ingest.limit must be >= 0 (0 = every sample), but was " + limit);
    }
  }

  /** Ingest of a catalog dataset with its own layout and default shard size. */
  public static IngestSpec of(String dataset) {
    return new IngestSpec(dataset, "", SourceFormat.AUTO, 0, 0, false, false, null);
  }

  public IngestSpec withPath(String newPath) {
    return new IngestSpec(dataset, newPath, format, samplesPerShard, limit, keepEncoded, failOnBadInput, holdout);
  }

  public IngestSpec withFormat(SourceFormat newFormat) {
    return new IngestSpec(dataset, path, newFormat, samplesPerShard, limit, keepEncoded, failOnBadInput, holdout);
  }

  public IngestSpec withSamplesPerShard(int samples) {
    return new IngestSpec(dataset, path, format, samples, limit, keepEncoded, failOnBadInput, holdout);
  }

  public IngestSpec withLimit(int newLimit) {
    return new IngestSpec(dataset, path, format, samplesPerShard, newLimit, keepEncoded, failOnBadInput, holdout);
  }

  public IngestSpec withKeepEncoded(boolean keep) {
    return new IngestSpec(dataset, path, format, samplesPerShard, limit, keep, failOnBadInput, holdout);
  }

  /** A copy that cuts {@code holdout} from {@code train}; {@code null} keeps the dataset's own splits. */
  public IngestSpec withHoldout(HoldoutSpec newHoldout) {
    return new IngestSpec(dataset, path, format, samplesPerShard, limit, keepEncoded, failOnBadInput, newHoldout);
  }

  public IngestSpec withFailOnBadInput(boolean fail) {
    return new IngestSpec(dataset, path, format, samplesPerShard, limit, keepEncoded, fail, holdout);
  }
}
