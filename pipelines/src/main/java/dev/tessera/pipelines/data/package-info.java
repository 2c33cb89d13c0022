/** Samples as Arrow IPC shards: the schema, streaming shard writer and reader, and the {@code shards.json} manifest. */
package dev.tessera.pipelines.data;
