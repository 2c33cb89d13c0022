package dev.tessera.stages.evaluate;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/** Adds up confusion matrices: a mergeable, order-independent combine (counts are integers, so exact). */
final class MergeConfusion extends Combine.CombineFn<ConfusionMatrix, ConfusionMatrix, ConfusionMatrix> {
  private static final long serialVersionUID = 1L;
  private final int classes;

  MergeConfusion(int classes) {
    this.classes = classes;
  }

  @Override
  public ConfusionMatrix createAccumulator() {
    return new ConfusionMatrix(classes);
  }

  @Override
  public ConfusionMatrix addInput(ConfusionMatrix accumulator, ConfusionMatrix input) {
    return accumulator.merge(input);
  }

  @Override
  public ConfusionMatrix mergeAccumulators(Iterable<ConfusionMatrix> accumulators) {
    ConfusionMatrix total = createAccumulator();
    for (ConfusionMatrix matrix : accumulators) {
      total = total.merge(matrix);
    }
    return total;
  }

  @Override
  public ConfusionMatrix extractOutput(ConfusionMatrix accumulator) {
    return accumulator;
  }

  @Override
  public Coder<ConfusionMatrix> getAccumulatorCoder(CoderRegistry registry, Coder<ConfusionMatrix> input) {
    return SerializableCoder.of(ConfusionMatrix.class);
  }
}
