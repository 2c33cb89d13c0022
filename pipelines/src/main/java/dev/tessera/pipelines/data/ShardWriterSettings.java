package dev.tessera.pipelines.data;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link ShardWriter} writes: the dataset the shard belongs to (stored in the schema metadata) and how rows
 * are grouped into Arrow record batches. Serializable, so a Beam {@code DoFn} can carry it to workers.
 *
 * <p>Example: {@code ShardWriterSettings.of("mnist", classNames).withRowsPerBatch(512)}.
 *
 * @param dataset dataset name, such as {@code mnist}
 * @param classes class names, index = class id (empty when the dataset has no classes)
 * @param rowsPerBatch rows per record batch, 1..1,048,576; a reader holds one batch in memory at a time
 * @param maxBatchBytes a batch is closed early once its pixel, encoded and mask bytes would pass this,
 *     1..1 GiB (Arrow binary columns use 32-bit offsets, so a batch column must stay under 2 GiB)
 */
public record ShardWriterSettings(String dataset, List<String> classes, int rowsPerBatch, long maxBatchBytes)
    implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int DEFAULT_ROWS_PER_BATCH = 1024;
  public static final long DEFAULT_MAX_BATCH_BYTES = 256L << 20;
  private static final int MAX_ROWS_PER_BATCH = 1 << 20;
  private static final long MAX_BATCH_BYTES = 1L << 30;

  public ShardWriterSettings {
    Objects.requireNonNull(dataset, "shards.dataset");
    if (dataset.isBlank()) {
      throw new IllegalArgumentException("shards.dataset must not be blank");
    }
    classes = List.copyOf(Objects.requireNonNull(classes, "shards.classes"));
    if (rowsPerBatch < 1 || rowsPerBatch > MAX_ROWS_PER_BATCH) {
      throw new IllegalArgumentException(
          "shards.rowsPerBatch must be in [1, " + MAX_ROWS_PER_BATCH + "], but was " + rowsPerBatch);
    }
    if (maxBatchBytes < 1 || maxBatchBytes > MAX_BATCH_BYTES) {
      throw new IllegalArgumentException(
          "shards.maxBatchBytes must be in [1, " + MAX_BATCH_BYTES + "] (1 GiB), but was " + maxBatchBytes);
    }
  }

  /** Settings with 1024 rows and at most 256 MiB of image bytes per batch. */
  public static ShardWriterSettings of(String dataset, List<String> classes) {
    return new ShardWriterSettings(dataset, classes, DEFAULT_ROWS_PER_BATCH, DEFAULT_MAX_BATCH_BYTES);
  }

  public ShardWriterSettings withRowsPerBatch(int rows) {
    return new ShardWriterSettings(dataset, classes, rows, maxBatchBytes);
  }

  public ShardWriterSettings withMaxBatchBytes(long bytes) {
    return new ShardWriterSettings(dataset, classes, rowsPerBatch, bytes);
  }
}
