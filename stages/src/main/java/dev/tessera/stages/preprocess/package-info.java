/** Preprocess stages: shards to shards through transform kernels, as Beam pipelines. */
package dev.tessera.stages.preprocess;
