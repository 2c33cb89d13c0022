/** The artifact store: immutable directories with manifests, published atomically, verified when read. */
package dev.tessera.pipelines.artifact;
