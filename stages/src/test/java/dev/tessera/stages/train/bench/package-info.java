/** Benchmarks run by hand (mains, not unit tests): how fast the trainer is on this machine. */
package dev.tessera.stages.train.bench;
