package dev.tessera.pipelines.dag;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The kind of artifact a stage produces or consumes, such as {@link #DATASET} or {@link #MODEL}.
 *
 * <p>Kinds are compared by id. {@code Experiment.build()} rejects a dependency whose output kind is not one of the
 * input kinds the dependent stage declares.
 */
public record ArtifactKind(String id) {
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");

  /** Arrow sample shards with a shard manifest. */
  public static final ArtifactKind DATASET = new ArtifactKind("dataset");
  /** A trained model directory (weights plus an MLflow {@code MLmodel} file). */
  public static final ArtifactKind MODEL = new ArtifactKind("model");
  /** Evaluation results: {@code metrics.json} and plots. */
  public static final ArtifactKind METRICS = new ArtifactKind("metrics");

  public ArtifactKind {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "artifact kind id must match " + ID.pattern() + " (lower-case, digits, '-'), but was '" + id + "'");
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
