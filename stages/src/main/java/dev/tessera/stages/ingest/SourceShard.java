package dev.tessera.stages.ingest;

import java.io.Serializable;
import java.util.List;

/**
 * One shard's worth of {@link SourceItem}s, the unit of parallel work of ingest.
 *
 * @param split the split of every item
 * @param shard the shard path relative to the dataset directory, such as {@code train/train-00003.arrow}
 * @param items the items, sorted by id
 */
public record SourceShard(String split, String shard, List<SourceItem> items) implements Serializable {
  private static final long serialVersionUID = 1L;

  public SourceShard {
    items = List.copyOf(items);
  }
}
