package dev.tessera.stages.testing;

import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/** Writes a test dataset's splits as shards of a fixed size, without Beam, as an ingest output would look. */
public final class SyntheticShards {
  private SyntheticShards() {}

  /**
   * Writes {@code sizes.get(split)} samples per split, {@code sample.apply(split, index)} each, in shards of
   * {@code perShard} named {@code <split>/<split>-NNNNN.arrow}, and the manifest.
   */
  public static DatasetManifest write(Path out, String dataset, java.util.List<String> classes,
      Map<String, Integer> sizes, int perShard, BiFunction<String, Integer, Sample> sample) throws IOException {
    ShardWriterSettings settings = ShardWriterSettings.of(dataset, classes);
    for (Map.Entry<String, Integer> split : sizes.entrySet()) {
      int n = split.getValue();
      for (int start = 0, shard = 0; start < n; start += perShard, shard++) {
        String file = String.format(Locale.ROOT, "%s/%s-%05d.arrow", split.getKey(), split.getKey(), shard);
        try (ShardWriter writer = ShardWriter.create(out.resolve(file), settings)) {
          for (int i = start; i < Math.min(n, start + perShard); i++) {
            writer.write(sample.apply(split.getKey(), i));
          }
          ShardInfo written = writer.finish();
          ShardOutputs.record(out, split.getKey(), new ShardInfo(file, written.rows(), written.sha256()));
        }
      }
    }
    return ShardOutputs.collect(out, dataset, classes);
  }
  /**
   * Paints a {@code bw x bh} rectangle of colour {@code rgb} at ({@code x0}, {@code y0}) into an HWC RGB image
   * {@code width} pixels wide, and returns its box of class {@code cls}.
   */
  public static dev.tessera.transforms.sample.Box fillBox(byte[] px, int width, int x0, int y0, int bw, int bh,
      int cls, int[] rgb) {
    for (int y = y0; y < y0 + bh; y++) {
      for (int x = x0; x < x0 + bw; x++) {
        for (int k = 0; k < 3; k++) {
          px[(y * width + x) * 3 + k] = (byte) rgb[k];
        }
      }
    }
    return new dev.tessera.transforms.sample.Box(x0, y0, x0 + bw, y0 + bh, cls);
  }
}
