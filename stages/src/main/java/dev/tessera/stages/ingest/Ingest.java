package dev.tessera.stages.ingest;

import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.pipelines.datasets.DataSettings;
import dev.tessera.pipelines.datasets.DatasetCatalog;
import dev.tessera.pipelines.datasets.IdxImages;
import dev.tessera.pipelines.datasets.IdxLabels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;

/**
 * Fetches a dataset through the catalog (cache, offline mirror, upstream; checksums verified) and writes it as Arrow
 * shards, one Beam element per shard, with a {@code shards.json} manifest. Output kind: {@link ArtifactKind#DATASET}.
 *
 * <pre>{@code
 * .stage("ingest", Ingest.dataset("mnist"))
 * }</pre>
 */
public record Ingest(IngestSpec spec) implements Stage<IngestSpec> {

  /** IDX datasets and the file names of their splits. */
  private static final Map<String, List<String[]>> IDX_SPLITS = Map.of(
      "mnist", List.of(
          new String[] {"train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"},
          new String[] {"test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}));

  /** Ingests a catalog dataset with 10,000 samples per shard. */
  public static Ingest dataset(String name) {
    return new Ingest(new IngestSpec(name, 10_000, 0));
  }

  @Override
  public Stage<IngestSpec> withSpec(IngestSpec newSpec) {
    return new Ingest(newSpec);
  }

  @Override
  public String kind() {
    return "ingest";
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of();
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.DATASET;
  }

  @Override
  public List<Class<?>> implementationClasses() {
    return List.of(Ingest.class, IngestSpec.class, WriteIdxShardFn.class, IdxShardTask.class);
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    List<String[]> splits = IDX_SPLITS.get(spec.dataset());
    if (splits == null) {
      throw new IllegalArgumentException("ingest.dataset '" + spec.dataset() + "' is not an ingestible dataset; "
          + "known: " + IDX_SPLITS.keySet() + ".");
    }
    // The live stage table owns the terminal: report through the stage, not a second progress bar.
    DatasetCatalog catalog = DatasetCatalog.standard(DataSettings.fromSystem().withProgress(false))
        .withProgress((file, done, total) -> context.progress().update(done, total, "fetching " + file));
    context.progress().update(0, 0, "resolving " + spec.dataset());
    Path files = catalog.resolve(spec.dataset());
    context.progress().log(spec.dataset() + " files verified in " + files);

    Path out = context.outputDirectory();
    List<IdxShardTask> tasks = new ArrayList<>();
    for (String[] split : splits) {
      Path images = files.resolve(split[1]);
      Path labels = files.resolve(split[2]);
      int available = IdxImages.open(images).count();
      if (IdxLabels.open(labels).count() != available) {
        throw new IllegalStateException(images + " has " + available + " images but " + labels + " has "
            + IdxLabels.open(labels).count() + " labels");
      }
      int count = spec.limit() > 0 ? Math.min(spec.limit(), available) : available;
      for (int start = 0, index = 0; start < count; start += spec.samplesPerShard(), index++) {
        int end = Math.min(count, start + spec.samplesPerShard());
        String shard = String.format(Locale.ROOT, "%s/%s-%05d.arrow", split[0], split[0], index);
        tasks.add(new IdxShardTask(split[0], images.toString(), labels.toString(), start, end, shard));
      }
    }
    context.progress().update(0, tasks.size(), "writing " + tasks.size() + " shards");
    ShardWriterSettings settings = ShardWriterSettings.of(spec.dataset(), DatasetCatalog.MNIST_CLASSES);
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    pipeline
        .apply("ShardTasks", Create.of(tasks).withCoder(SerializableCoder.of(IdxShardTask.class)))
        .apply("SpreadTasks", Reshuffle.viaRandomKey())
        .apply("WriteShards", ParDo.of(new WriteIdxShardFn(spec.dataset(), out, settings)));
    BeamPipelines.runToCompletion(pipeline, "ingest of " + spec.dataset());

    DatasetManifest manifest = ShardOutputs.collect(out, spec.dataset(), DatasetCatalog.MNIST_CLASSES);
    context.progress().update(tasks.size(), tasks.size(), manifest.totalRows() + " samples");
    StageResult result = StageResult.of(manifest.totalRows());
    for (Map.Entry<String, DatasetManifest.Split> split : manifest.splits().entrySet()) {
      result = result.with(split.getKey() + "_samples", split.getValue().rows());
    }
    return result;
  }
}
