/** Internals of the executor: reading class files for code fingerprints. Not API. */
package dev.tessera.pipelines.exec.internal;
