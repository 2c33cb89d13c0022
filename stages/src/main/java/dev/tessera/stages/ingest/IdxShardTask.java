package dev.tessera.stages.ingest;

import java.io.Serializable;

/**
 * One shard's worth of IDX samples: images {@code [start, end)} of a split.
 *
 * @param split {@code train} or {@code test}
 * @param imagesFile the IDX images file
 * @param labelsFile the IDX labels file
 * @param start first sample index
 * @param end one past the last sample index
 * @param shard the shard path relative to the dataset directory, such as {@code train/train-00003.arrow}
 */
record IdxShardTask(String split, String imagesFile, String labelsFile, int start, int end, String shard)
    implements Serializable {}
