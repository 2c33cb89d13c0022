package dev.tessera.pipelines.tracking.registry;

import dev.tessera.pipelines.tracking.mlflow.internal.MlflowKeys;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The MLflow Model Registry of a tracker: {@link FileStoreRegistry} writes MLflow's own layout under
 * {@code ./mlruns/models}, {@link ServerRegistry} calls a server's REST API. Both are read by the MLflow client and
 * UI alike.
 *
 * <pre>{@code
 * ModelRegistry registry = FileStoreRegistry.at(Path.of("mlruns"));
 * ModelVersion v = registry.register("mnist-lenet", run.id(), "train/model", Map.of());
 * registry.setAlias("mnist-lenet", ModelRegistry.CHAMPION, v.version());
 * }</pre>
 */
public interface ModelRegistry {
  /** The alias of the version in use. */
  String CHAMPION = "champion";
  /** The alias of the newest candidate. */
  String CHALLENGER = "challenger";

  /**
   * Registers the model that run {@code runId} logged at {@code artifactPath} (a directory holding an
   * {@code MLmodel} file, such as {@code train/model}) as the next version of the registered model {@code name},
   * creating that registered model if missing.
   */
  ModelVersion register(String name, String runId, String artifactPath, Map<String, String> tags);

  /** Points {@code alias} at {@code version} (moving it if it pointed elsewhere). */
  void setAlias(String name, String alias, long version);

  /** The version {@code alias} points at; empty when the model or the alias does not exist. */
  Optional<ModelVersion> byAlias(String name, String alias);

  /** One version; empty when the model or the version does not exist. */
  Optional<ModelVersion> version(String name, long version);

  /** Sets tags on a version (last write wins). */
  void setVersionTags(String name, long version, Map<String, String> tags);

  /**
   * Sets tags on a run of the same tracking store, finished or not (the gate's decision goes on the run that
   * trained the challenger).
   */
  void setRunTags(String runId, Map<String, String> tags);

  /**
   * The version's model directory on this machine: in place for a local source, else downloaded into
   * {@code target} (once: an existing complete copy is reused).
   */
  java.nio.file.Path localFiles(ModelVersion version, java.nio.file.Path target);

  /** Where the registry lives, for messages. */
  String location();

  /** Checks a registered model name: what both MLflow stores accept and a folder name can hold. */
  static void checkModelName(String name) {
    if (name == null || name.isBlank() || name.contains("%") || name.contains("/") || name.contains("\\")
        || name.equals(".") || name.equals("..") || name.length() > 256) {
      throw new IllegalArgumentException("registered model name must be 1-256 characters without '%', '/' or "
          + "'\\', but was '" + name + "'. Rename the experiment, or pass a model name.");
    }
  }

  /** Checks tag keys and values against MLflow's limits; {@code kind} names them in the message. */
  static void checkTags(String kind, Map<String, String> tags) {
    tags.forEach((k, v) -> {
      MlflowKeys.checkKey(kind, k);
      MlflowKeys.checkTagValue(k, v);
    });
  }

  /** Checks an alias as MLflow does: letters, digits, '_' and '-', not {@code latest} nor {@code v<number>}. */
  static void checkAlias(String alias) {
    if (alias == null || !Pattern.matches("[\\w\\-]{1,255}", alias) || alias.equalsIgnoreCase("latest")
        || Pattern.matches("[vV]\\d+", alias)) {
      throw new IllegalArgumentException("model alias must be 1-255 letters, digits, '_' or '-', and neither "
          + "'latest' nor 'v<number>' (MLflow reserves them), but was '" + alias + "'.");
    }
  }
}
