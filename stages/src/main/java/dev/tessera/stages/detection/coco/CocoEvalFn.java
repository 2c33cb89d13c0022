package dev.tessera.stages.detection.coco;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/**
 * COCO evaluation as a Beam combine: each input is one image's boxes, the accumulator a {@link CocoPartial}, the
 * output the {@link CocoSummary}. Images may arrive in any order and any sharding; each must arrive once, and
 * every ground-truth image must arrive, also one without detections (its boxes count as misses), as
 * {@link CocoEvaluator#byImage} lays them out.
 *
 * <pre>{@code
 * PCollection<CocoSummary> summary = images.apply(Combine.globally(new CocoEvalFn(gt.categoryIds())));
 * }</pre>
 */
public final class CocoEvalFn extends Combine.CombineFn<ImageBoxes, CocoPartial, CocoSummary> {
  private static final long serialVersionUID = 1L;
  private final TreeSet<Integer> categoryIds;

  /** A combine over the given ground-truth category ids (other categories are not evaluated). */
  public CocoEvalFn(Set<Integer> categoryIds) {
    this.categoryIds = new TreeSet<>(categoryIds);
  }

  @Override
  public CocoPartial createAccumulator() {
    return CocoPartial.empty();
  }

  @Override
  public CocoPartial addInput(CocoPartial accumulator, ImageBoxes image) {
    return accumulator.addAll(
        CocoPartial.ofImage(image.imageId(), image.groundTruth(), image.detections(), categoryIds));
  }

  @Override
  public CocoPartial mergeAccumulators(Iterable<CocoPartial> accumulators) {
    CocoPartial total = CocoPartial.empty();
    for (CocoPartial p : accumulators) {
      total.addAll(p);
    }
    return total;
  }

  @Override
  public CocoSummary extractOutput(CocoPartial accumulator) {
    return accumulator.summarize();
  }

  @Override
  public Coder<CocoPartial> getAccumulatorCoder(CoderRegistry registry, Coder<ImageBoxes> inputCoder) {
    return PartialCoder.INSTANCE;
  }

  @Override
  public Coder<CocoSummary> getDefaultOutputCoder(CoderRegistry registry, Coder<ImageBoxes> inputCoder) {
    return SerializableCoder.of(CocoSummary.class);
  }

  /** The accumulator's coder: {@link CocoPartial#encode}'s compact, self-delimiting binary form. */
  public static final class PartialCoder extends CustomCoder<CocoPartial> {
    private static final long serialVersionUID = 1L;
    public static final PartialCoder INSTANCE = new PartialCoder();

    private PartialCoder() {}

    @Override
    public void encode(CocoPartial value, OutputStream out) throws IOException {
      value.encode(out);
    }

    @Override
    public CocoPartial decode(InputStream in) throws IOException {
      return CocoPartial.decode(in);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof PartialCoder;
    }

    @Override
    public int hashCode() {
      return PartialCoder.class.hashCode();
    }

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
