package dev.tessera.stages.testing;

import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.dag.StageSpec;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardOutputs;
import dev.tessera.pipelines.data.ShardWriter;
import dev.tessera.pipelines.data.ShardWriterSettings;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A source stage for tests that need a sharded dataset without the data mirror: {@code shards} shards per split
 * ({@code train}, {@code test}) of {@code samplesPerShard} 20x20 gray images with a fixed pattern and labels 0-9.
 * Written without Beam, so only the stages under test run on the runner under test.
 */
public record SyntheticDigits(SyntheticDigits.Spec spec) implements Stage<SyntheticDigits.Spec> {
  static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  static final int SIZE = 20;

  /**
   * @param shards shards per split, >= 1
   * @param samplesPerShard samples in each shard, >= 1
   */
  public record Spec(int shards, int samplesPerShard) implements StageSpec {
    public Spec {
      if (shards < 1 || samplesPerShard < 1) {
        throw new IllegalArgumentException("synthetic.shards and synthetic.samplesPerShard must be >= 1, but were "
            + shards + " and " + samplesPerShard);
      }
    }
  }

  public static SyntheticDigits of(int shards, int samplesPerShard) {
    return new SyntheticDigits(new Spec(shards, samplesPerShard));
  }

  /** The pixel at (y, x) of sample {@code index}: a pattern that differs between samples and positions. */
  static int pixel(int index, int y, int x) {
    return (index * 31 + y * 7 + x * 13) & 0xff;
  }

  /** The {@code index}-th sample of a split, as the stage writes it. */
  static Sample sample(String split, int index) {
    byte[] pixels = new byte[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        pixels[y * SIZE + x] = (byte) pixel(index, y, x);
      }
    }
    String id = String.format(Locale.ROOT, "synthetic/%s/%05d", split, index);
    return Sample.ofUint8(id, pixels, SIZE, SIZE, 1, Layout.HWC, index % 10, "synthetic:" + index, split);
  }

  @Override
  public Stage<Spec> withSpec(Spec newSpec) {
    return new SyntheticDigits(newSpec);
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
  public StageResult run(StageContext context) throws Exception {
    Path out = context.outputDirectory();
    ShardWriterSettings settings = ShardWriterSettings.of("synthetic", CLASSES);
    for (String split : List.of("train", "test")) {
      Files.createDirectories(out.resolve(split));
      for (int shard = 0; shard < spec.shards(); shard++) {
        String file = String.format(Locale.ROOT, "%s/%s-%05d.arrow", split, split, shard);
        try (ShardWriter writer = ShardWriter.create(out.resolve(file), settings)) {
          for (int i = 0; i < spec.samplesPerShard(); i++) {
            writer.write(sample(split, shard * spec.samplesPerShard() + i));
          }
          ShardInfo written = writer.finish();
          ShardOutputs.record(out, split, new ShardInfo(file, written.rows(), written.sha256()));
        }
      }
    }
    DatasetManifest manifest = ShardOutputs.collect(out, "synthetic", CLASSES);
    return StageResult.of(manifest.totalRows());
  }
}
