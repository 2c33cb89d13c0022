package dev.tessera.pipelines.tracking.registry;

import java.nio.file.Path;

/**
 * A model version found in the registry, with its files on this machine.
 *
 * @param reference what was asked for, such as {@code champion:mnist-lenet}
 * @param version the version it resolved to
 * @param directory the local model directory (holding its {@code MLmodel} file)
 */
public record ResolvedModel(ModelReference reference, ModelVersion version, Path directory) {}
