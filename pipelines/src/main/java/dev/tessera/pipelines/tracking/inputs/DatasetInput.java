package dev.tessera.pipelines.tracking.inputs;

/**
 * One dataset a run used, as MLflow records it ({@code runs/log-inputs}): the dataset and the run's use of it.
 *
 * @param name the dataset's name, 1-500 characters (such as {@code mnist})
 * @param digest a short content digest, 1-36 characters: same data, same digest
 * @param sourceType where the data comes from, in MLflow's words ({@code local}, {@code http}, ...)
 * @param source the source as JSON, such as {@code {"uri": "file:///data/mnist"}}
 * @param schema the schema as JSON ({@code {"mlflow_colspec": [...]}}), or null
 * @param context the use, tagged {@code mlflow.data.context}: {@code train}, {@code val}, {@code test}, or null
 */
public record DatasetInput(String name, String digest, String sourceType, String source, String schema,
    String context) {
  /** The input tag that says how the run used the dataset. */
  public static final String CONTEXT_TAG = "mlflow.data.context";

  public DatasetInput {
    if (name == null || name.isEmpty() || name.length() > 500) {
      throw new IllegalArgumentException("dataset input name must be 1-500 characters, but was '" + name + "'.");
    }
    if (digest == null || digest.isEmpty() || digest.length() > 36) {
      throw new IllegalArgumentException("dataset input digest of '" + name + "' must be 1-36 characters (MLflow's "
          + "limit), but was '" + digest + "'; shorten it, for example to the first 16 hex digits.");
    }
    if (sourceType == null || sourceType.isEmpty() || source == null || source.length() > 65535) {
      throw new IllegalArgumentException("dataset input '" + name + "' needs a source type and a source of at most "
          + "65535 characters, but had type '" + sourceType + "' and " + (source == null ? "no source"
          : source.length() + " characters") + ".");
    }
    if (schema != null && schema.length() > 1_048_575) {
      throw new IllegalArgumentException("dataset input schema of '" + name + "' must be at most 1048575 "
          + "characters, but had " + schema.length() + ".");
    }
  }
}
