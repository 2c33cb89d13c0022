package dev.tessera.transforms.augment;

import dev.tessera.transforms.image.MosaicSpec;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Mosaic as a Beam transform: every input sample yields exactly one mosaic, anchored on it (same id, split and
 * source), whose three partners come from the same deterministic group. Never drops or duplicates ids.
 *
 * <p>How groups form, so the output does not depend on element order, bundling or runner: the input is counted;
 * each sample joins group {@link Randomness#groupOf}(seed, epoch, id, max(1, count / 4)); a {@code GroupByKey}
 * gathers each group; its members are sorted by id; member {@code j} is the anchor of a mosaic with members
 * {@code j+1, j+2, j+3} (cyclically; a group smaller than four repeats members). The mosaic's own draws come from
 * (seed, epoch, anchor id). Output coder: {@link SampleCoder}.
 *
 * <pre>{@code
 * PCollection<Sample> mosaics = samples.apply("Mosaic", Mosaic.of(MosaicSpec.of(640)).withSeed(42).withEpoch(0));
 * }</pre>
 */
public final class Mosaic extends PTransform<PCollection<Sample>, PCollection<Sample>> {
  private static final long serialVersionUID = 1L;
  private final GroupFunction function;
  private final long seed;
  private final long epoch;

  private Mosaic(GroupFunction function, long seed, long epoch) {
    this.function = function;
    this.seed = seed;
    this.epoch = epoch;
  }

  /** Mosaic with the given spec, seed 0, epoch 0. */
  public static Mosaic of(MosaicSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("mosaic spec must be set, but was null.");
    }
    return new Mosaic(new MosaicSample(spec), 0, 0);
  }

  /** A copy with another experiment seed. */
  public Mosaic withSeed(long value) {
    return new Mosaic(function, value, epoch);
  }

  /** A copy for another epoch (new groups and new centres). */
  public Mosaic withEpoch(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("mosaic.epoch must be >= 0, but was " + value + ".");
    }
    return new Mosaic(function, seed, value);
  }

  /** A copy with another spec. */
  public Mosaic withSpec(MosaicSpec spec) {
    return of(spec).withSeed(seed).withEpoch(epoch);
  }

  @Override
  public PCollection<Sample> expand(PCollection<Sample> input) {
    PCollectionView<Long> count = input.apply("Count", Count.globally()).apply("CountView", View.asSingleton());
    return input
        .apply("AssignGroup", ParDo.of(new AssignGroup(seed, epoch, function.arity(), count)).withSideInputs(count))
        .setCoder(KvCoder.of(VarIntCoder.of(), SampleCoder.of()))
        .apply("GroupByKey", GroupByKey.create())
        .apply("Combine", ParDo.of(new CombineGroup(function, seed, epoch)))
        .setCoder(SampleCoder.of());
  }

  /** Keys each sample by its seeded group. */
  static final class AssignGroup extends DoFn<Sample, KV<Integer, Sample>> {
    private static final long serialVersionUID = 1L;
    private final long seed;
    private final long epoch;
    private final int arity;
    private final PCollectionView<Long> count;

    AssignGroup(long seed, long epoch, int arity, PCollectionView<Long> count) {
      this.seed = seed;
      this.epoch = epoch;
      this.arity = arity;
      this.count = count;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long n = c.sideInput(count);
      int groups = (int) Math.max(1, Math.min(Integer.MAX_VALUE, n / arity));
      Sample s = c.element();
      c.output(KV.of(Randomness.groupOf(seed, epoch, s.id(), groups), s));
    }
  }

  /** One output per member of a group, anchored on it, partners taken cyclically in id order. */
  static final class CombineGroup extends DoFn<KV<Integer, Iterable<Sample>>, Sample> {
    private static final long serialVersionUID = 1L;
    private final GroupFunction function;
    private final long seed;
    private final long epoch;

    CombineGroup(GroupFunction function, long seed, long epoch) {
      this.function = function;
      this.seed = seed;
      this.epoch = epoch;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Sample>> group, OutputReceiver<Sample> out) {
      for (Sample s : combine(group.getValue(), function, seed, epoch)) {
        out.output(s);
      }
    }
  }

  /** The group's outputs, the same for any iteration order of {@code members} (Beam-free, for tests and loaders). */
  public static List<Sample> combine(Iterable<Sample> members, GroupFunction function, long seed, long epoch) {
    List<Sample> sorted = new ArrayList<>();
    members.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Sample::id));
    int k = sorted.size();
    List<Sample> out = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      List<Sample> chosen = new ArrayList<>(function.arity());
      for (int i = 0; i < function.arity(); i++) {
        chosen.add(sorted.get((j + i) % k));
      }
      Sample anchor = sorted.get(j);
      out.add(function.apply(chosen, Randomness.forSample(seed, epoch, anchor.id(), function.stream())));
    }
    return out;
  }
}
