/** The MLflow Model Registry: registered models, their versions and aliases, on a server or in {@code ./mlruns}. */
package dev.tessera.pipelines.tracking.registry;
