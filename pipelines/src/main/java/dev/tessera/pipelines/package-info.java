/**
 * Tessera's engine. {@link dev.tessera.pipelines.Tessera} runs an experiment from Java (tests, notebooks); the
 * subpackages hold the DAG API ({@code dag}), the executor and cache ({@code exec}), specs and overrides
 * ({@code spec}), artifacts, Arrow data, datasets, tracking and the extension points ({@code extension}).
 */
package dev.tessera.pipelines;
