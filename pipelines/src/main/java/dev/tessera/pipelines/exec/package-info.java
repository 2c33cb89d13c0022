/** The executor: ordering, concurrency, cache keys, retries, cancellation, persisted run state and resume. */
package dev.tessera.pipelines.exec;
