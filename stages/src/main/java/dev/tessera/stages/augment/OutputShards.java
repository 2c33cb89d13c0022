package dev.tessera.stages.augment;

import dev.tessera.transforms.augment.Randomness;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which output shard a sample goes to: a pure function of its split and id, so the shards hold the same samples on
 * every runner, whatever the order in which workers see them. A split of {@code n} samples gets
 * {@code ceil(n / samplesPerShard)} shards ({@code <split>/<split>-00000.arrow}, ...), and a sample joins shard
 * {@code Randomness.stableHash(id) mod shards} (= {@code mix(fnv1a64(utf8(id)))}, {@code mix} the SplitMix64
 * finalizer, so the low bits that the modulus keeps depend on every byte of the id); this formula is part of the
 * contract. Shard sizes vary around
 * {@code samplesPerShard} (a shard that no id hashes to is not written), but no global sort or count is needed.
 *
 * <pre>{@code
 * OutputShards shards = OutputShards.of(Map.of("train", 205L, "val", 87L), 32); // 7 + 3 shards
 * String file = shards.shardOf("train", "bccd/train/BloodImage_00001");           // "train/train-0000k.arrow"
 * }</pre>
 *
 * @param shardsBySplit the number of shards of each split, each {@code >= 1}
 */
public record OutputShards(Map<String, Integer> shardsBySplit) implements Serializable {

  public OutputShards {
    shardsBySplit = new TreeMap<>(shardsBySplit);
    shardsBySplit.forEach((split, n) -> {
      if (n < 1) {
        throw new IllegalArgumentException("split '" + split + "' needs at least 1 output shard, but had " + n + ".");
      }
    });
  }

  /** Shard counts for splits of the given sizes (in samples). */
  public static OutputShards of(Map<String, Long> rowsBySplit, int samplesPerShard) {
    if (samplesPerShard < 1) {
      throw new IllegalArgumentException("samplesPerShard must be >= 1, but was " + samplesPerShard + ".");
    }
    Map<String, Integer> shards = new TreeMap<>();
    rowsBySplit.forEach((split, rows) ->
        shards.put(split, (int) Math.max(1, Math.min(99_999, (rows + samplesPerShard - 1) / samplesPerShard))));
    return new OutputShards(shards);
  }

  /** The shard file, relative to the dataset directory, of sample {@code id} of {@code split}. */
  public String shardOf(String split, String id) {
    Integer n = shardsBySplit.get(split);
    if (n == null) {
      throw new IllegalArgumentException("sample '" + id + "' has split '" + split + "', which the input manifest "
          + "does not list (splits: " + shardsBySplit.keySet() + ").");
    }
    long shard = Math.floorMod(Randomness.stableHash(id), (long) n);
    return String.format(Locale.ROOT, "%s/%s-%05d.arrow", split, split, shard);
  }
}
