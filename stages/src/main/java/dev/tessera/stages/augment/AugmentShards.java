package dev.tessera.stages.augment;

import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.transforms.augment.Mixup;
import dev.tessera.transforms.augment.Mosaic;
import dev.tessera.transforms.augment.Randomness;
import dev.tessera.transforms.image.LetterboxSample;
import dev.tessera.transforms.image.NormalizeSample;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleCoder;
import dev.tessera.transforms.sample.SampleFunction;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The Beam pipeline of {@link DetectionAugment}: reads sample shards, mosaics the chosen samples of each mosaic
 * split (within that split only), letterboxes every sample, mixes up the chosen samples of each mosaic split (again
 * within that split; after letterbox, because mixup needs images of one shape), and writes normalized float CHW
 * shards. Emits one
 * {@link ShardInfo} per written shard, each also recorded with {@link ShardOutputs}.
 *
 * <p>Deterministic on every runner: mosaic groups and draws come from (seed, epoch, id) ({@link Mosaic}), the
 * choice of anchors from (seed, epoch, id) in the stream {@code "mosaic-choice"}, mixup pairs and ratios likewise
 * ({@link Mixup}) and its choice in the stream {@code "mixup-choice"}, the output shard of a sample
 * from its id ({@link OutputShards}), and each shard's rows are sorted by id before they are written. Normalize
 * runs in the writer, after the shuffle, so the shuffle carries u8 pixels rather than four times as many float
 * bytes.
 *
 * <pre>{@code
 * pipeline.apply("Augment", AugmentShards.of(in, out, files, spec, 42, outputShards, settings));
 * }</pre>
 */
public final class AugmentShards extends PTransform<PBegin, PCollection<ShardInfo>> {
  private static final long serialVersionUID = 1L;
  private final String inputDir;
  private final String outputDir;
  private final List<String> inputShards;
  private final DetectionAugmentSpec spec;
  private final long seed;
  private final OutputShards outputShards;
  private final ShardWriterSettings settings;

  private AugmentShards(String inputDir, String outputDir, List<String> inputShards, DetectionAugmentSpec spec,
      long seed, OutputShards outputShards, ShardWriterSettings settings) {
    this.inputDir = inputDir;
    this.outputDir = outputDir;
    this.inputShards = List.copyOf(inputShards);
    this.spec = spec;
    this.seed = seed;
    this.outputShards = outputShards;
    this.settings = settings;
  }

  /**
   * Augments the shards {@code inputShards} (paths relative to {@code inputDir}) into {@code outputDir}.
   *
   * @param seed the experiment seed
   * @param outputShards the output shards of each split present in the input
   */
  public static AugmentShards of(Path inputDir, Path outputDir, List<String> inputShards, DetectionAugmentSpec spec,
      long seed, OutputShards outputShards, ShardWriterSettings settings) {
    return of(inputDir.toString(), outputDir.toString(), inputShards, spec, seed, outputShards, settings);
  }

  /**
   * As {@link #of(Path, Path, List, DetectionAugmentSpec, long, OutputShards, ShardWriterSettings)} for dataset
   * folders on any Beam file system ({@code s3://...}), which the workers read and write directly.
   */
  public static AugmentShards of(String inputLocation, String outputLocation, List<String> inputShards,
      DetectionAugmentSpec spec, long seed, OutputShards outputShards, ShardWriterSettings settings) {
    return new AugmentShards(inputLocation, outputLocation, inputShards, spec, seed, outputShards, settings);
  }

  @Override
  public PCollection<ShardInfo> expand(PBegin input) {
    PCollection<Sample> samples = input
        .apply("ListShards", Create.of(inputShards))
        .apply("SpreadShards", Reshuffle.viaRandomKey())
        .apply("ReadShards", ParDo.of(new ReadShardFn(inputDir)))
        .setCoder(SampleCoder.of());
    Choice choice = new Choice(spec.mosaics() ? spec.mosaicSplits() : List.of(), spec.mosaicProbability(), seed,
        spec.epoch(), "mosaic-choice");
    List<PCollection<Sample>> parts = new ArrayList<>();
    parts.add(samples.apply("KeepPlain", Filter.by(s -> !choice.chosen(s))));
    Mosaic mosaic = Mosaic.of(spec.mosaic()).withSeed(seed).withEpoch(spec.epoch());
    // One mosaic per split: partners never cross splits (no validation image inside a training mosaic).
    for (String split : choice.splits()) {
      if (outputShards.shardsBySplit().containsKey(split)) {
        parts.add(samples
            .apply("Choose/" + split, Filter.by(s -> s.split().equals(split) && choice.chosen(s)))
            .apply("Mosaic/" + split, mosaic));
      }
    }
    SampleFunction letterbox = new LetterboxSample(spec.letterbox());
    PCollection<Sample> letterboxed = PCollectionList.of(parts)
        .apply("Gather", Flatten.pCollections())
        .apply("Letterbox", ParDo.of(new ApplyFn(letterbox)))
        .setCoder(SampleCoder.of());
    return mixup(letterboxed)
        .apply("AssignShard", ParDo.of(new AssignShardFn(outputShards)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SampleCoder.of()))
        .apply("GroupByShard", GroupByKey.create())
        .apply("WriteShards", ParDo.of(new WriteShardFn(outputDir, new NormalizeSample(spec.normalize()), settings)))
        .setCoder(SerializableCoder.of(ShardInfo.class));
  }

  /** Mixup of the chosen samples of each mosaic split, within the split; the input itself when mixup is off. */
  private PCollection<Sample> mixup(PCollection<Sample> letterboxed) {
    if (!spec.mixes()) {
      return letterboxed; // the same graph as before mixup existed: runs without mixup write the same bytes
    }
    Choice choice = new Choice(spec.mosaicSplits(), spec.mixupProbability(), seed, spec.epoch(), "mixup-choice");
    List<PCollection<Sample>> parts = new ArrayList<>();
    parts.add(letterboxed.apply("KeepUnmixed", Filter.by(s -> !choice.chosen(s))));
    Mixup mixup = Mixup.of(spec.mixup()).withSeed(seed).withEpoch(spec.epoch());
    for (String split : choice.splits()) {
      if (outputShards.shardsBySplit().containsKey(split)) {
        parts.add(letterboxed
            .apply("ChooseMixup/" + split, Filter.by(s -> s.split().equals(split) && choice.chosen(s)))
            .apply("Mixup/" + split, mixup));
      }
    }
    return PCollectionList.of(parts).apply("GatherMixed", Flatten.pCollections()).setCoder(SampleCoder.of());
  }

  /**
   * Whether a sample takes part in an augmentation: its split is one of {@code splits} and a draw from (seed,
   * epoch, id, {@code stream}) is below the probability (no draw at probability 1).
   */
  record Choice(Set<String> splits, double probability, long seed, long epoch, String stream)
      implements Serializable {
    Choice(List<String> splits, double probability, long seed, long epoch, String stream) {
      this(new TreeSet<>(splits), probability, seed, epoch, stream);
    }

    boolean chosen(Sample s) {
      if (!splits.contains(s.split()) || probability <= 0) {
        return false;
      }
      return probability >= 1 || Randomness.forSample(seed, epoch, s.id(), stream).nextDouble() < probability;
    }
  }

  /** Emits every sample of a shard. */
  static final class ReadShardFn extends DoFn<String, Sample> {
    private static final long serialVersionUID = 1L;
    private final String inputDir;

    ReadShardFn(String inputDir) {
      this.inputDir = inputDir;
    }

    @ProcessElement
    public void process(@Element String shard, OutputReceiver<Sample> out) throws IOException {
      try (ShardReader reader = ShardReader.open(Locations.resolve(inputDir, shard), null)) {
        Iterator<Sample> samples = reader.samples();
        while (samples.hasNext()) {
          out.output(samples.next());
        }
      }
    }
  }

  /** Applies a per-sample function. */
  static final class ApplyFn extends DoFn<Sample, Sample> {
    private static final long serialVersionUID = 1L;
    private final SampleFunction function;

    ApplyFn(SampleFunction function) {
      this.function = function;
    }

    @ProcessElement
    public void process(@Element Sample sample, OutputReceiver<Sample> out) {
      out.output(function.apply(sample));
    }
  }

  /** Keys each sample by the output shard its id belongs to. */
  static final class AssignShardFn extends DoFn<Sample, KV<String, Sample>> {
    private static final long serialVersionUID = 1L;
    private final OutputShards shards;

    AssignShardFn(OutputShards shards) {
      this.shards = shards;
    }

    @ProcessElement
    public void process(@Element Sample sample, OutputReceiver<KV<String, Sample>> out) {
      out.output(KV.of(shards.shardOf(sample.split(), sample.id()), sample));
    }
  }

  /** Sorts a shard's samples by id, normalizes and writes them, and records the shard. */
  static final class WriteShardFn extends DoFn<KV<String, Iterable<Sample>>, ShardInfo> {
    private static final long serialVersionUID = 1L;
    private final String outputDir;
    private final SampleFunction normalize;
    private final ShardWriterSettings settings;

    WriteShardFn(String outputDir, SampleFunction normalize, ShardWriterSettings settings) {
      this.outputDir = outputDir;
      this.normalize = normalize;
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Sample>> shard, OutputReceiver<ShardInfo> out)
        throws IOException {
      List<Sample> samples = new ArrayList<>();
      shard.getValue().forEach(samples::add);
      samples.sort(Comparator.comparing(Sample::id));
      for (int i = 1; i < samples.size(); i++) {
        if (samples.get(i).id().equals(samples.get(i - 1).id())) {
          throw new IllegalStateException("augment: sample id '" + samples.get(i).id() + "' occurs twice in "
              + shard.getKey() + "; ids must be unique within a dataset.");
        }
      }
      String file = shard.getKey();
      try (ShardWriter writer = ShardWriter.create(Locations.resolve(outputDir, file), settings, null)) {
        for (Sample sample : samples) {
          writer.write(normalize.apply(sample));
        }
        ShardInfo written = writer.finish();
        ShardInfo info = new ShardInfo(file, written.rows(), written.sha256());
        ShardOutputs.record(outputDir, samples.get(0).split(), info);
        out.output(info);
      }
    }
  }
}
