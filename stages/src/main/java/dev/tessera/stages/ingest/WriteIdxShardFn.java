package dev.tessera.stages.ingest;

import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.Locations;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.pipelines.datasets.IdxImages;
import dev.tessera.pipelines.datasets.IdxLabels;
import dev.tessera.pipelines.datasets.IdxSamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.beam.sdk.transforms.DoFn;

/** Reads one range of an IDX dataset and writes it as one Arrow shard; emits the number of samples written. */
final class WriteIdxShardFn extends DoFn<IdxShardTask, Long> {
  private static final long serialVersionUID = 1L;
  private final String dataset;
  private final String outputDir;
  private final ShardWriterSettings settings;

  /** Writes into the dataset folder {@code outputLocation}: a local directory or one on any Beam file system. */
  WriteIdxShardFn(String dataset, String outputLocation, ShardWriterSettings settings) {
    this.dataset = dataset;
    this.outputDir = outputLocation;
    this.settings = settings;
  }

  @ProcessElement
  public void process(@Element IdxShardTask task, OutputReceiver<Long> out) throws IOException {
    IdxImages images = IdxImages.open(Path.of(task.imagesFile()));
    IdxLabels labels = IdxLabels.open(Path.of(task.labelsFile()));
    try (ShardWriter writer = ShardWriter.create(Locations.resolve(outputDir, task.shard()), settings, null)) {
      IdxSamples.read(images, labels, dataset, task.split(), task.start(), task.end(), sample -> {
        try {
          writer.write(sample);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      ShardInfo written = writer.finish();
      ShardOutputs.record(outputDir, task.split(), new ShardInfo(task.shard(), written.rows(),
          written.sha256()));
      out.output(written.rows());
    }
  }
}
