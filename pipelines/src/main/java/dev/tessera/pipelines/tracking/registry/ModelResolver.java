package dev.tessera.pipelines.tracking.registry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds "the champion of X" (or any alias or version) in the registry and makes its files local, for prediction
 * and evaluation code: a file store's versions are read in place, a server's are downloaded once into the cache.
 *
 * <pre>{@code
 * ModelResolver resolver = new ModelResolver(registry, home.resolve("models"));
 * ResolvedModel champion = resolver.resolve(ModelReference.parse("champion:mnist-lenet"));
 * Path weights = champion.directory(); // holds MLmodel and the weights
 * }</pre>
 */
public final class ModelResolver {
  private final ModelRegistry registry;
  private final Path cache;

  /**
   * @param registry the registry to read
   * @param cache where downloaded versions are kept ({@code <cache>/<model>/<version>/})
   */
  public ModelResolver(ModelRegistry registry, Path cache) {
    this.registry = registry;
    this.cache = cache;
  }

  /**
   * The version the reference names, with its local directory.
   *
   * @throws IllegalArgumentException when the model, alias or version does not exist (the message says which)
   */
  public ResolvedModel resolve(ModelReference reference) {
    ModelVersion version = version(reference);
    Path directory = registry.localFiles(version, cache.resolve(version.name()).resolve(
        Long.toString(version.version())));
    if (!Files.isRegularFile(directory.resolve("MLmodel"))) {
      throw new IllegalStateException("version " + version.version() + " of model '" + version.name()
          + "' has no MLmodel file in " + directory + " (source " + version.source() + "); its run's artifacts "
          + "are missing or incomplete.");
    }
    return new ResolvedModel(reference, version, directory);
  }

  /**
   * The version the reference names, without fetching its files (its {@link ModelVersion#runId() run} leads to
   * the run that trained it).
   *
   * @throws IllegalArgumentException when the model, alias or version does not exist (the message says which)
   */
  public ModelVersion version(ModelReference reference) {
    return (reference.alias() != null
        ? registry.byAlias(reference.model(), reference.alias())
        : registry.version(reference.model(), reference.version().getAsLong()))
        .orElseThrow(() -> new IllegalArgumentException("no " + (reference.alias() != null
            ? "version with alias '" + reference.alias() + "'" : "version " + reference.version().getAsLong())
            + " of registered model '" + reference.model() + "' in " + registry.location() + ". Register one "
            + "with 'tessera run " + reference.model() + " --promote-if <metric>' (or --register), or check the "
            + "name and the tracking URI."));
  }
}
