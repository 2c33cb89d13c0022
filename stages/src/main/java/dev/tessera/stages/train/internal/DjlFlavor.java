package dev.tessera.stages.train.internal;

import ai.djl.engine.Engine;

/**
 * What the {@code djl} flavor of an {@code MLmodel} file says about a DJL model directory: the versions it was saved
 * with, the parameter file, the Tessera metadata file beside it and the class that loads it.
 *
 * @param djlVersion DJL's version, such as {@code 0.35.1}
 * @param engine the engine's name, such as {@code PyTorch}
 * @param engineVersion the engine's version
 * @param modelName the DJL model name the parameters were saved under
 * @param modelFile the parameter file, such as {@code model-0003.params}
 * @param metadataFile the Tessera metadata file in the directory
 * @param loader the class that loads the directory
 */
public record DjlFlavor(String djlVersion, String engine, String engineVersion, String modelName, String modelFile,
    String metadataFile, String loader) {
  public DjlFlavor {
    for (String value : new String[] {djlVersion, engine, engineVersion, modelName, modelFile, metadataFile, loader}) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("every field of the MLmodel djl flavor must be set, but one was '"
            + value + "' in " + java.util.Arrays.toString(new String[] {djlVersion, engine, engineVersion,
                modelName, modelFile, metadataFile, loader}));
      }
    }
  }

  /** The flavor of a model saved now with {@code engine}. */
  public static DjlFlavor of(Engine engine, String modelName, String modelFile, String metadataFile, Class<?> loader) {
    return new DjlFlavor(Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(), modelName, modelFile,
        metadataFile, loader.getName());
  }
}
