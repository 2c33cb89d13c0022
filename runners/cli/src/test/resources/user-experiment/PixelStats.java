import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.dag.StageSpec;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** A stage of the user's own: the mean pixel level of each split, rounded by StatsMath. */
public record PixelStats(PixelStats.Spec spec) implements Stage<PixelStats.Spec> {
  /** Settings: how many decimals to keep. */
  public record Spec(int decimals) implements StageSpec {
    public Spec {
      if (decimals < 0 || decimals > 9) {
        throw new IllegalArgumentException("stats.decimals must be in [0, 9], but was " + decimals);
      }
    }
  }

  public static PixelStats of(int decimals) {
    return new PixelStats(new Spec(decimals));
  }

  @Override
  public Stage<Spec> withSpec(Spec newSpec) {
    return new PixelStats(newSpec);
  }

  @Override
  public List<ArtifactKind> inputs() {
    return List.of(ArtifactKind.DATASET);
  }

  @Override
  public ArtifactKind output() {
    return ArtifactKind.METRICS;
  }

  @Override
  public StageResult run(StageContext context) throws Exception {
    Path data = context.input(ArtifactKind.DATASET).directory();
    DatasetManifest manifest = DatasetManifest.read(data);
    StringBuilder text = new StringBuilder();
    long samples = 0;
    for (var split : manifest.splits().entrySet()) {
      double sum = 0;
      long count = 0;
      for (ShardInfo shard : split.getValue().shards()) {
        try (ShardReader reader = ShardReader.open(data.resolve(shard.file()))) {
          for (Iterator<Sample> it = reader.samples(); it.hasNext(); ) {
            byte[] pixels = it.next().pixels();
            for (byte b : pixels) {
              sum += b & 0xff;
            }
            count += pixels.length;
            samples++;
          }
        }
      }
      text.append(split.getKey()).append(' ').append(StatsMath.round(sum / count, spec.decimals())).append('\n');
    }
    Files.writeString(context.outputDirectory().resolve("stats.txt"), text.toString());
    return StageResult.of(samples);
  }
}
