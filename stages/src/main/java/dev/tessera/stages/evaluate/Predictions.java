package dev.tessera.stages.evaluate;

import java.util.Arrays;
import java.util.List;

/**
 * Per-sample results of a classifier on a split: true class, predicted class and the softmax probability of every
 * class.
 *
 * <pre>{@code
 * Predictions all = Predictions.concat(List.of(shard0, shard1));
 * double auc = RocAuc.oneVsRest(all.labels(), all.probabilities(), Average.MACRO);
 * }</pre>
 *
 * <p>Rows are samples in dataset order (shard order, then row order in the shard). Arrays are the record's own:
 * do not modify them.
 *
 * @param labels true class of each sample, in [0, classes)
 * @param predicted predicted class of each sample (the highest logit; ties: the lowest class index)
 * @param probabilities {@code probabilities[sample][class]}, softmax of the logits, float32 as the model computes
 * @param classes the number of classes (columns of {@code probabilities})
 */
public record Predictions(int[] labels, int[] predicted, float[][] probabilities, int classes) {
  public Predictions {
    if (classes < 1) {
      throw new IllegalArgumentException("predictions.classes must be >= 1, but was " + classes);
    }
    if (predicted.length != labels.length || probabilities.length != labels.length) {
      throw new IllegalArgumentException("predictions need one label, prediction and probability row per sample, "
          + "but had " + labels.length + ", " + predicted.length + " and " + probabilities.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (probabilities[i].length != classes) {
        throw new IllegalArgumentException("predictions.probabilities[" + i + "] has " + probabilities[i].length
            + " columns, but there are " + classes + " classes");
      }
    }
  }

  /** The number of samples. */
  public int size() {
    return labels.length;
  }

  /** All samples of {@code parts} in order; the parts must have the same class count. */
  public static Predictions concat(List<Predictions> parts, int classes) {
    int total = parts.stream().mapToInt(Predictions::size).sum();
    int[] labels = new int[total];
    int[] predicted = new int[total];
    float[][] probabilities = new float[total][];
    int at = 0;
    for (Predictions part : parts) {
      if (part.classes != classes) {
        throw new IllegalArgumentException("predictions to concatenate must all have " + classes + " classes, but "
            + "one part has " + part.classes);
      }
      System.arraycopy(part.labels, 0, labels, at, part.size());
      System.arraycopy(part.predicted, 0, predicted, at, part.size());
      System.arraycopy(part.probabilities, 0, probabilities, at, part.size());
      at += part.size();
    }
    return new Predictions(labels, predicted, probabilities, classes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Predictions p && classes == p.classes && Arrays.equals(labels, p.labels)
        && Arrays.equals(predicted, p.predicted) && Arrays.deepEquals(probabilities, p.probabilities);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(labels) + Arrays.deepHashCode(probabilities);
  }

  @Override
  public String toString() {
    return "Predictions[" + size() + " samples, " + classes + " classes]";
  }
}
