/** Canonical JSON, flat params and {@code --set} overrides for stage specs. */
package dev.tessera.pipelines.spec;
