/** Helpers of the shard IO that are not API. */
package dev.tessera.pipelines.data.internal;
