package dev.tessera.pipelines.beam;

import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleFunction;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Maps every sample of a sharded dataset through a {@link SampleFunction}, shard by shard: each input shard
 * {@code <split>/<name>.arrow} becomes the output shard of the same name, in the same row order. Shards are the
 * unit of parallelism, so the work spreads over as many workers as there are shards. Emits the number of samples
 * written per shard.
 */
public final class MapShards extends PTransform<PBegin, PCollection<Long>> {
  private final String inputDir;
  private final String outputDir;
  private final List<String> shards;
  private final SampleFunction function;
  private final ShardWriterSettings settings;

  private MapShards(String inputDir, String outputDir, List<String> shards, SampleFunction function,
      ShardWriterSettings settings) {
    this.inputDir = inputDir;
    this.outputDir = outputDir;
    this.shards = List.copyOf(shards);
    this.function = function;
    this.settings = settings;
  }

  /**
   * Maps the shards (paths relative to {@code inputDir}) into {@code outputDir}.
   *
   * <pre>{@code
   * pipeline.apply("Normalize", MapShards.of(in, out, manifest.shards(), fn, settings));
   * }</pre>
   */
  public static MapShards of(Path inputDir, Path outputDir, List<String> shards, SampleFunction function,
      ShardWriterSettings settings) {
    return of(inputDir.toString(), outputDir.toString(), shards, function, settings);
  }

  /**
   * As {@link #of(Path, Path, List, SampleFunction, ShardWriterSettings)} for dataset folders on any Beam file
   * system: the workers read the input shards from {@code inputLocation} and write the output shards (and their
   * records for {@link ShardOutputs#collect(String, String, List)}) to {@code outputLocation}, such as
   * {@code s3://bucket/tessera/staging/<key>/1-.../}, through Beam's {@code FileSystems}.
   */
  public static MapShards of(String inputLocation, String outputLocation, List<String> shards,
      SampleFunction function, ShardWriterSettings settings) {
    return new MapShards(inputLocation, outputLocation, shards, function, settings);
  }

  @Override
  public PCollection<Long> expand(PBegin input) {
    return input
        .apply("ListShards", Create.of(shards))
        .apply("SpreadShards", Reshuffle.viaRandomKey())
        .apply("MapShard", ParDo.of(new MapShardFn(inputDir, outputDir, function, settings)));
  }

  private static final class MapShardFn extends DoFn<String, Long> {
    private static final long serialVersionUID = 1L;
    private final String inputDir;
    private final String outputDir;
    private final SampleFunction function;
    private final ShardWriterSettings settings;

    MapShardFn(String inputDir, String outputDir, SampleFunction function, ShardWriterSettings settings) {
      this.inputDir = inputDir;
      this.outputDir = outputDir;
      this.function = function;
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element String shard, OutputReceiver<Long> out) throws Exception {
      ResourceId source = Locations.resolve(inputDir, shard);
      ResourceId target = Locations.resolve(outputDir, shard);
      String split = shard.contains("/") ? shard.substring(0, shard.indexOf('/')) : "all";
      try (ShardReader reader = ShardReader.open(source, null);
          ShardWriter writer = ShardWriter.create(target, settings, null)) {
        Iterator<Sample> samples = reader.samples();
        while (samples.hasNext()) {
          writer.write(function.apply(samples.next()));
        }
        ShardInfo written = writer.finish();
        ShardInfo info = new ShardInfo(shard, written.rows(), written.sha256());
        ShardOutputs.record(outputDir, split, info);
        out.output(info.rows());
      }
    }
  }
}
