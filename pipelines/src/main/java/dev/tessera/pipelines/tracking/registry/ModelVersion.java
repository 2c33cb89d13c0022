package dev.tessera.pipelines.tracking.registry;

import java.util.List;
import java.util.Map;

/**
 * One version of a registered model, as the MLflow Model Registry holds it.
 *
 * @param name the registered model's name
 * @param version the version number, 1 for the first
 * @param source where the model's files are ({@code file:///.../artifacts/train/model} or
 *     {@code mlflow-artifacts:/...})
 * @param runId the MLflow run that logged the model
 * @param tags the version's tags
 * @param aliases the aliases pointing at this version, such as {@code champion}
 */
public record ModelVersion(String name, long version, String source, String runId, Map<String, String> tags,
    List<String> aliases) {

  public ModelVersion {
    if (version < 1) {
      throw new IllegalArgumentException("model version of '" + name + "' must be >= 1, but was " + version);
    }
    tags = Map.copyOf(tags);
    aliases = List.copyOf(aliases);
  }
}
