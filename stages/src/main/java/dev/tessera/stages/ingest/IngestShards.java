package dev.tessera.stages.ingest;

import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Decodes planned {@link SourceShard}s into Arrow shards, one element per shard: each worker decodes its items with
 * a {@link SourceDecoder}, writes the good samples in id order to {@code <output>/<shard>} and sends everything
 * bad to the dead-letter output, which is written as {@code <output>/dead_letter.jsonl} (sorted by id). With
 * {@code failOnBadInput} the first bad input fails the pipeline instead, naming the sample and the reason.
 *
 * <p>The output is a location string ({@link Locations}): a local directory, or a folder on any Beam file system
 * such as the stage's staging folder in a bucket, which the workers write through Beam's {@code FileSystems}
 * wherever they run. The source files (images, annotations) are read from the paths the plan names.
 *
 * <pre>{@code
 * pipeline.apply("Ingest", IngestShards.of(plan.shards(64, 0), context.outputLocation(), settings, decoder, false));
 * }</pre>
 */
public final class IngestShards extends PTransform<PBegin, PCollection<Long>> {
  private static final TupleTag<Long> WRITTEN = new TupleTag<>() {};
  private static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  private final List<SourceShard> shards;
  private final String outputDir;
  private final ShardWriterSettings settings;
  private final SourceDecoder decoder;
  private final boolean failOnBadInput;

  private IngestShards(List<SourceShard> shards, String outputDir, ShardWriterSettings settings,
      SourceDecoder decoder, boolean failOnBadInput) {
    this.shards = List.copyOf(shards);
    this.outputDir = outputDir;
    this.settings = settings;
    this.decoder = decoder;
    this.failOnBadInput = failOnBadInput;
  }

  /**
   * Writes {@code shards} into the dataset folder {@code outputLocation} (a local directory or
   * {@code s3://bucket/...}); emits the rows written per shard.
   */
  public static IngestShards of(List<SourceShard> shards, String outputLocation, ShardWriterSettings settings,
      SourceDecoder decoder, boolean failOnBadInput) {
    return new IngestShards(shards, outputLocation, settings, decoder, failOnBadInput);
  }

  @Override
  public PCollection<Long> expand(PBegin input) {
    PCollectionTuple written = input
        .apply("ListShards", Create.of(shards).withCoder(SerializableCoder.of(SourceShard.class)))
        .apply("SpreadShards", Reshuffle.viaRandomKey())
        .apply("DecodeAndWrite", ParDo.of(new WriteShardFn(outputDir, settings, decoder, failOnBadInput))
            .withOutputTags(WRITTEN, TupleTagList.of(DEAD_LETTERS)));
    written.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class))
        .apply("KeyDeadLetters", WithKeys.of("dead-letter"))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(DeadLetter.class)))
        .apply("GatherDeadLetters", GroupByKey.create())
        .apply("WriteDeadLetters", ParDo.of(new WriteDeadLettersFn(outputDir)));
    return written.get(WRITTEN);
  }

  /** Decodes one planned shard and writes it. */
  static final class WriteShardFn extends DoFn<SourceShard, Long> {
    private static final long serialVersionUID = 1L;
    private final String outputDir;
    private final ShardWriterSettings settings;
    private final SourceDecoder decoder;
    private final boolean failOnBadInput;

    WriteShardFn(String outputDir, ShardWriterSettings settings, SourceDecoder decoder, boolean failOnBadInput) {
      this.outputDir = outputDir;
      this.settings = settings;
      this.decoder = decoder;
      this.failOnBadInput = failOnBadInput;
    }

    @ProcessElement
    public void process(@Element SourceShard shard, MultiOutputReceiver out) throws IOException {
      try (ShardWriter writer = ShardWriter.create(Locations.resolve(outputDir, shard.shard()), settings, null)) {
        for (SourceItem item : shard.items()) {
          if (item.format() == SourceFormat.SHARDS) {
            copyShard(item, writer, out);
            continue;
          }
          SourceDecoder.Decoded decoded;
          try {
            decoded = decoder.decode(item);
          } catch (BadInputException e) {
            reject(DeadLetter.sample(item.id(), item.source(), e.getMessage()), out);
            continue;
          }
          for (DeadLetter box : decoded.droppedBoxes()) {
            reject(box, out);
          }
          writer.write(decoded.sample());
        }
        ShardInfo written = writer.finish();
        ShardOutputs.record(outputDir, shard.split(),
            new ShardInfo(shard.shard(), written.rows(), written.sha256()));
        out.get(WRITTEN).output(written.rows());
      }
    }

    /** Re-checks the samples of an existing shard: bad boxes are dropped and reported, the rest copied as is. */
    private void copyShard(SourceItem item, ShardWriter writer, MultiOutputReceiver out) throws IOException {
      try (ShardReader reader = ShardReader.open(Path.of(item.image()))) {
        Iterator<Sample> samples = reader.samples();
        while (samples.hasNext()) {
          Sample sample = samples.next();
          if (sample.boxes() != null) {
            List<Box> kept = new ArrayList<>();
            for (int i = 0; i < sample.boxes().size(); i++) {
              Box box = sample.boxes().get(i);
              String problem = box.problem(sample.width(), sample.height());
              if (problem == null) {
                kept.add(box);
              } else {
                reject(DeadLetter.box(sample.id(), sample.source() + " box #" + i, problem), out);
              }
            }
            sample = sample.withBoxes(kept);
          }
          writer.write(sample);
        }
      }
    }

    private void reject(DeadLetter letter, MultiOutputReceiver out) {
      if (failOnBadInput) {
        throw new IllegalStateException("ingest.failOnBadInput is set, and " + letter.scope() + " of '" + letter.id()
            + "' is bad: " + letter.reason() + " (" + letter.source() + "). Unset it to send bad input to "
            + DeadLetter.FILE_NAME + " instead.");
      }
      out.get(DEAD_LETTERS).output(letter);
    }
  }

  /** Writes all dead letters, sorted, into one JSON-lines file. */
  static final class WriteDeadLettersFn extends DoFn<KV<String, Iterable<DeadLetter>>, Void> {
    private static final long serialVersionUID = 1L;
    private final String outputDir;

    WriteDeadLettersFn(String outputDir) {
      this.outputDir = outputDir;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<DeadLetter>> letters) throws IOException {
      List<DeadLetter> sorted = new ArrayList<>();
      letters.getValue().forEach(sorted::add);
      sorted.sort(Comparator.comparing(DeadLetter::id).thenComparing(DeadLetter::scope)
          .thenComparing(DeadLetter::source).thenComparing(DeadLetter::reason));
      DeadLetters.write(outputDir, sorted);
    }
  }
}
