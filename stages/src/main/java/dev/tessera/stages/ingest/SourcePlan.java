package dev.tessera.stages.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What ingest will read: the class names and every item, plus counts worth reporting that are not errors (such as
 * images without a label file, which are kept as images without objects).
 *
 * @param classes class names, index = class id
 * @param items every item of every split
 * @param notes counts for the stage summary, such as {@code unlabeled_images}
 */
public record SourcePlan(List<String> classes, List<SourceItem> items, Map<String, Long> notes) {
  public SourcePlan {
    classes = List.copyOf(classes);
    items = List.copyOf(items);
    notes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notes));
  }

  /**
   * This plan with {@code holdout.count} items of split {@code train} (drawn from their sorted ids with
   * {@code holdout.seed}) moved to split {@code holdout.split}, their ids following ({@code <dataset>/train/<name>}
   * becomes {@code <dataset>/<split>/<name>}). Items that already have a problem are moved like the others.
   */
  public SourcePlan withHoldout(HoldoutSpec holdout) {
    List<SourceItem> train = items.stream().filter(i -> i.split().equals("train"))
        .sorted(Comparator.comparing(SourceItem::id)).toList();
    if (items.stream().anyMatch(i -> i.split().equals(holdout.split()))) {
      throw new IllegalArgumentException("ingest.holdout.split '" + holdout.split() + "' already exists in the "
          + "dataset; name another split, or drop ingest.holdout to keep the dataset's own");
    }
    boolean[] chosen = holdout.chosen(train.size());
    java.util.Set<SourceItem> moved = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i]) {
        moved.add(train.get(i));
      }
    }
    List<SourceItem> result = new ArrayList<>();
    for (SourceItem item : items) {
      if (!moved.contains(item)) {
        result.add(item);
        continue;
      }
      String id = item.id().replaceFirst("/train/", "/" + holdout.split() + "/");
      result.add(new SourceItem(id, holdout.split(), item.image(), item.annotation(), item.format(), item.label(),
          item.boxes(), item.problem()));
    }
    return new SourcePlan(classes, result, notes);
  }

  /**
   * Groups the items into shards deterministically: per split (sorted by name), items sorted by id, the first
   * {@code limit} of each split kept when {@code limit > 0}, cut into groups of {@code perShard}.
   */
  public List<SourceShard> shards(int perShard, int limit) {
    Map<String, List<SourceItem>> bySplit = new TreeMap<>();
    for (SourceItem item : items) {
      bySplit.computeIfAbsent(item.split(), k -> new ArrayList<>()).add(item);
    }
    List<SourceShard> shards = new ArrayList<>();
    for (Map.Entry<String, List<SourceItem>> split : bySplit.entrySet()) {
      List<SourceItem> sorted = new ArrayList<>(split.getValue());
      sorted.sort(Comparator.comparing(SourceItem::id));
      int count = limit > 0 ? Math.min(limit, sorted.size()) : sorted.size();
      for (int start = 0, index = 0; start < count; start += perShard, index++) {
        String name = String.format(Locale.ROOT, "%s/%s-%05d.arrow", split.getKey(), split.getKey(), index);
        shards.add(new SourceShard(split.getKey(), name, sorted.subList(start, Math.min(count, start + perShard))));
      }
    }
    return shards;
  }
}
