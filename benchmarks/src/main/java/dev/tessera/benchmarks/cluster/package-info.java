/** Cluster benchmarks: mnist-lenet's preprocessing on the DirectRunner, Flink and Spark clusters, side by side. */
package dev.tessera.benchmarks.cluster;
