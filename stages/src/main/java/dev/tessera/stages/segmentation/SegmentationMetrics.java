package dev.tessera.stages.segmentation;

import dev.tessera.stages.evaluate.ConfusionMatrix;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Segmentation metrics as a Beam combine: every {@link MaskPair} adds its pixels to a confusion-matrix accumulator,
 * accumulators merge by adding their counts (exact integers, so any sharding and merge order gives the same
 * report), and the output is the {@link SegmentationReport} of the total.
 *
 * <pre>{@code
 * PCollection<SegmentationReport> report = pairs.apply(Combine.globally(SegmentationMetrics.of(classNames)));
 * }</pre>
 */
public final class SegmentationMetrics extends Combine.CombineFn<MaskPair, ConfusionMatrix, SegmentationReport> {
  private static final long serialVersionUID = 1L;
  private final List<String> classes;

  private SegmentationMetrics(List<String> classes) {
    if (classes.isEmpty() || classes.size() > 256) {
      throw new IllegalArgumentException("segmentation metrics need 1 to 256 classes (a mask holds one byte per "
          + "pixel), but got " + classes.size() + ": " + classes);
    }
    this.classes = List.copyOf(classes);
  }

  /** Metrics over these classes (index = class in the masks). */
  public static SegmentationMetrics of(List<String> classes) {
    return new SegmentationMetrics(classes);
  }

  @Override
  public ConfusionMatrix createAccumulator() {
    return new ConfusionMatrix(classes.size());
  }

  /**
   * Counts the pair's pixels into the accumulator (mutated and returned).
   *
   * @throws IllegalArgumentException when a mask holds a class outside {@code [0, classes)}
   */
  @Override
  public ConfusionMatrix addInput(ConfusionMatrix accumulator, MaskPair pair) {
    int k = classes.size();
    long[] counts = new long[k * k];
    byte[] actual = pair.actual();
    byte[] predicted = pair.predicted();
    for (int i = 0; i < actual.length; i++) {
      int a = actual[i] & 0xFF;
      int p = predicted[i] & 0xFF;
      if (a >= k || p >= k) {
        throw new IllegalArgumentException("mask pair '" + pair.id() + "': pixel " + i + " has class " + (a >= k ? a
            : p) + " in its " + (a >= k ? "actual" : "predicted") + " mask, but there are only " + k + " classes "
            + classes);
      }
      counts[a * k + p]++;
    }
    long[][] square = new long[k][];
    for (int a = 0; a < k; a++) {
      square[a] = java.util.Arrays.copyOfRange(counts, a * k, (a + 1) * k);
    }
    return accumulator.merge(ConfusionMatrix.of(square));
  }

  @Override
  public ConfusionMatrix mergeAccumulators(Iterable<ConfusionMatrix> accumulators) {
    return java.util.stream.StreamSupport.stream(accumulators.spliterator(), false)
        .reduce(createAccumulator(), ConfusionMatrix::merge);
  }

  @Override
  public SegmentationReport extractOutput(ConfusionMatrix accumulator) {
    return new SegmentationReport(classes, accumulator);
  }

  @Override
  public Coder<ConfusionMatrix> getAccumulatorCoder(CoderRegistry registry, Coder<MaskPair> input) {
    return SerializableCoder.of(ConfusionMatrix.class);
  }

  @Override
  public Coder<SegmentationReport> getDefaultOutputCoder(CoderRegistry registry, Coder<MaskPair> input) {
    return SerializableCoder.of(SegmentationReport.class);
  }
}
