package dev.tessera.transforms.augment;

import dev.tessera.transforms.image.MixupSpec;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleCoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Mixup as a Beam transform: the input is split into disjoint pairs, and each member of a pair yields one output
 * anchored on it (same id, split, source, label and mask) that blends its pixels with its partner's and carries the
 * boxes of both (its own first), as {@link MixupSample} defines. Every input sample is in exactly one pair, so the
 * output has exactly the input's ids; when the input count is odd, exactly one sample has no partner and is passed
 * through unchanged.
 *
 * <p>How pairs form, so the output does not depend on element order, bundling or runner: the input is counted;
 * each sample joins group {@link Randomness#groupOf}(seed, epoch, id, max(1, count / {@value #GROUP_SIZE})); a
 * {@code GroupByKey} gathers each group; its members are put in {@linkplain #pairOrder pair order} (by
 * {@link Randomness#seedOf}(seed, epoch, id, {@code "mixup-pair"}), then id) and paired 0-1, 2-3, and so on. The last
 * member of an odd group is left over; the leftovers of all groups are paired the same way in a second round (only
 * their ids travel to one place, as a side input; the images stay distributed), whose odd one out, if any, is the
 * unpaired sample. An output's ratio is drawn from (seed, epoch, anchor id, {@code "mixup"}), so the two outputs of a
 * pair have independent ratios. Both members must have the same shape (letterbox or resize first). Output coder:
 * {@link SampleCoder}.
 *
 * <pre>{@code
 * PCollection<Sample> mixed = samples.apply("Mixup", Mixup.of(new MixupSpec(0.4, 0.6)).withSeed(42).withEpoch(0));
 * }</pre>
 */
public final class Mixup extends PTransform<PCollection<Sample>, PCollection<Sample>> {
  private static final long serialVersionUID = 1L;
  /** The mean group size of the first round: larger groups leave fewer leftovers but hold more images at once. */
  public static final int GROUP_SIZE = 16;
  private static final TupleTag<Sample> MIXED = new TupleTag<>() {};
  private static final TupleTag<Sample> LEFTOVER = new TupleTag<>() {};

  private final MixupSpec spec;
  private final long seed;
  private final long epoch;

  private Mixup(MixupSpec spec, long seed, long epoch) {
    this.spec = spec;
    this.seed = seed;
    this.epoch = epoch;
  }

  /** Mixup with the given spec, seed 0, epoch 0. */
  public static Mixup of(MixupSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("mixup spec must be set, but was null.");
    }
    return new Mixup(spec, 0, 0);
  }

  /** A copy with another experiment seed. */
  public Mixup withSeed(long value) {
    return new Mixup(spec, value, epoch);
  }

  /** A copy for another epoch (new pairs and new ratios). */
  public Mixup withEpoch(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("mixup.epoch must be >= 0, but was " + value + ".");
    }
    return new Mixup(spec, seed, value);
  }

  /** A copy with another spec. */
  public Mixup withSpec(MixupSpec value) {
    return of(value).withSeed(seed).withEpoch(epoch);
  }

  @Override
  public PCollection<Sample> expand(PCollection<Sample> input) {
    GroupFunction function = new MixupSample(spec);
    PCollectionView<Long> count = input.apply("Count", Count.globally()).apply("CountView", View.asSingleton());
    PCollectionTuple first = input
        .apply("AssignGroup", ParDo.of(new AssignGroup(seed, epoch, count)).withSideInputs(count))
        .setCoder(KvCoder.of(VarIntCoder.of(), SampleCoder.of()))
        .apply("GroupByKey", GroupByKey.create())
        .apply("Pair", ParDo.of(new PairGroup(function, seed, epoch, false))
            .withOutputTags(MIXED, TupleTagList.of(LEFTOVER)));
    PCollection<Sample> leftovers = first.get(LEFTOVER).setCoder(SampleCoder.of());
    PCollectionView<List<String>> order = leftovers
        .apply("LeftoverIds", MapElements.into(TypeDescriptors.strings()).via(Sample::id))
        .apply("PairOrder", Combine.globally(new SortedIds(seed, epoch)))
        .setCoder(ListCoder.of(StringUtf8Coder.of()))
        .apply("PairOrderView", View.asSingleton());
    PCollectionTuple second = leftovers
        .apply("AssignPair", ParDo.of(new AssignPair(seed, epoch, order)).withSideInputs(order))
        .setCoder(KvCoder.of(VarIntCoder.of(), SampleCoder.of()))
        .apply("GroupLeftovers", GroupByKey.create())
        .apply("PairLeftovers", ParDo.of(new PairGroup(function, seed, epoch, true))
            .withOutputTags(MIXED, TupleTagList.of(LEFTOVER)));
    second.get(LEFTOVER).setCoder(SampleCoder.of()); // always empty: the second round passes its odd one through
    return PCollectionList.of(first.get(MIXED).setCoder(SampleCoder.of()))
        .and(second.get(MIXED).setCoder(SampleCoder.of()))
        .apply("Gather", Flatten.pCollections())
        .setCoder(SampleCoder.of());
  }

  /**
   * The order in which a group's members are paired: by the seeded hash of (seed, epoch, id, {@code "mixup-pair"}),
   * then by id, so partners change with the seed and epoch rather than being neighbours by id.
   */
  public static Comparator<String> pairOrder(long seed, long epoch) {
    return Comparator.<String>comparingLong(id -> Randomness.seedOf(seed, epoch, id, "mixup-pair"))
        .thenComparing(Comparator.naturalOrder());
  }

  /**
   * Pairs one group without Beam (for tests and loaders): members in {@link #pairOrder}, 0-1, 2-3, and so on; each
   * member of a pair gives one output. Returns the outputs, and the odd one out (unchanged) in {@code leftover}.
   */
  public static List<Sample> pair(Iterable<Sample> members, GroupFunction function, long seed, long epoch,
      List<Sample> leftover) {
    List<Sample> sorted = new ArrayList<>();
    members.forEach(sorted::add);
    Comparator<String> order = pairOrder(seed, epoch);
    sorted.sort((a, b) -> order.compare(a.id(), b.id()));
    List<Sample> out = new ArrayList<>(sorted.size());
    for (int j = 0; j + 1 < sorted.size(); j += 2) {
      Sample a = sorted.get(j);
      Sample b = sorted.get(j + 1);
      out.add(function.apply(List.of(a, b), Randomness.forSample(seed, epoch, a.id(), function.stream())));
      out.add(function.apply(List.of(b, a), Randomness.forSample(seed, epoch, b.id(), function.stream())));
    }
    if (sorted.size() % 2 == 1) {
      leftover.add(sorted.get(sorted.size() - 1));
    }
    return out;
  }

  /** Keys each sample by its seeded first-round group. */
  static final class AssignGroup extends DoFn<Sample, KV<Integer, Sample>> {
    private static final long serialVersionUID = 1L;
    private final long seed;
    private final long epoch;
    private final PCollectionView<Long> count;

    AssignGroup(long seed, long epoch, PCollectionView<Long> count) {
      this.seed = seed;
      this.epoch = epoch;
      this.count = count;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      long n = c.sideInput(count);
      int groups = (int) Math.max(1, Math.min(Integer.MAX_VALUE, n / GROUP_SIZE));
      Sample s = c.element();
      c.output(KV.of(Randomness.groupOf(seed, epoch, s.id(), groups), s));
    }
  }

  /** Pairs a group; its odd one out goes to the leftover output (first round) or passes through (second round). */
  static final class PairGroup extends DoFn<KV<Integer, Iterable<Sample>>, Sample> {
    private static final long serialVersionUID = 1L;
    private final GroupFunction function;
    private final long seed;
    private final long epoch;
    private final boolean passLeftoverThrough;

    PairGroup(GroupFunction function, long seed, long epoch, boolean passLeftoverThrough) {
      this.function = function;
      this.seed = seed;
      this.epoch = epoch;
      this.passLeftoverThrough = passLeftoverThrough;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Sample>> group, MultiOutputReceiver out) {
      List<Sample> leftover = new ArrayList<>(1);
      for (Sample s : pair(group.getValue(), function, seed, epoch, leftover)) {
        out.get(MIXED).output(s);
      }
      for (Sample s : leftover) {
        out.get(passLeftoverThrough ? MIXED : LEFTOVER).output(s);
      }
    }
  }

  /** The ids of all leftovers in {@link #pairOrder}. */
  static final class SortedIds extends Combine.CombineFn<String, List<String>, List<String>> {
    private static final long serialVersionUID = 1L;
    private final long seed;
    private final long epoch;

    SortedIds(long seed, long epoch) {
      this.seed = seed;
      this.epoch = epoch;
    }

    @Override
    public List<String> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<String> addInput(List<String> accumulator, String id) {
      accumulator.add(id);
      return accumulator;
    }

    @Override
    public List<String> mergeAccumulators(Iterable<List<String>> accumulators) {
      List<String> merged = new ArrayList<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<String> extractOutput(List<String> accumulator) {
      List<String> sorted = new ArrayList<>(accumulator);
      sorted.sort(pairOrder(seed, epoch));
      return sorted;
    }

    @Override
    public Coder<List<String>> getAccumulatorCoder(CoderRegistry registry, Coder<String> inputCoder) {
      return ListCoder.of(StringUtf8Coder.of());
    }
  }

  /** Keys a leftover by its second-round pair: its position in the sorted leftover ids, halved. */
  static final class AssignPair extends DoFn<Sample, KV<Integer, Sample>> {
    private static final long serialVersionUID = 1L;
    private final long seed;
    private final long epoch;
    private final PCollectionView<List<String>> order;

    AssignPair(long seed, long epoch, PCollectionView<List<String>> order) {
      this.seed = seed;
      this.epoch = epoch;
      this.order = order;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Sample s = c.element();
      int position = Collections.binarySearch(c.sideInput(order), s.id(), pairOrder(seed, epoch));
      if (position < 0) {
        throw new IllegalStateException("mixup: leftover '" + s.id() + "' is missing from the pair order of the "
            + "leftovers; this is a bug in Mixup.");
      }
      c.output(KV.of(position / 2, s));
    }
  }
}
