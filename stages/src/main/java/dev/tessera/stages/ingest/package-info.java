/** Ingest stages: datasets from the catalog into Arrow shards, as Beam pipelines. */
package dev.tessera.stages.ingest;
