package dev.tessera.stages.detection.evaluate;

import dev.tessera.pipelines.data.ShardInfo;
import java.io.Serializable;

/**
 * A shard and its position in the evaluated split (the position makes image ids unique).
 *
 * @param index the shard's position in the split's shard list
 * @param shard the shard
 */
record KvShard(int index, ShardInfo shard) implements Serializable {}
