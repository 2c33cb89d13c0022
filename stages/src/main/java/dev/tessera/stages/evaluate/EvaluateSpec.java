package dev.tessera.stages.evaluate;

import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of {@link Evaluate}.
 *
 * @param split the dataset split to evaluate on, such as {@code test}
 * @param batchSize samples per inference batch
 */
public record EvaluateSpec(String split, int batchSize) implements StageSpec {
  public EvaluateSpec {
    if (split == null || split.isBlank()) {
      throw new IllegalArgumentException("evaluate.split must name a dataset split such as 'test', but was '"
          + split + "'");
    }
    if (batchSize < 1 || batchSize > 65_536) {
      throw new IllegalArgumentException("evaluate.batchSize must be in [1, 65536], but was " + batchSize);
    }
  }
}
