/** Detection augmentation stages: seeded mosaic, letterbox and normalize from shards to shards, as Beam pipelines. */
package dev.tessera.stages.augment;
