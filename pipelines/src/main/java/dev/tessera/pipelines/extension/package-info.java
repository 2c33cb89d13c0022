/**
 * Extension points and user code: registries filled through {@link java.util.ServiceLoader}, experiment files
 * compiled at run time, and jars added with {@code --classpath}.
 */
package dev.tessera.pipelines.extension;
