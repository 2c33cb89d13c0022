/** Small arithmetic stages that show the engine (ordering, concurrency, cache) without any data download. */
package dev.tessera.experiments.demo;
