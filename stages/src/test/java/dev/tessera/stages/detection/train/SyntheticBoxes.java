package dev.tessera.stages.detection.train;

import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.Stage;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.dag.StageResult;
import dev.tessera.pipelines.dag.StageSpec;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.stages.testing.SyntheticShards;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A detection dataset for tests without the data mirror, shaped like an ingest output: {@code train} and
 * {@code test} splits of 96x72 u8 RGB images of noise, each with one to three filled rectangles: red squares
 * (class 0, 14..22 px) and blue bars (class 1, about 30x10 px). Written without Beam, 8 samples per shard.
 */
public record SyntheticBoxes(SyntheticBoxes.Spec spec) implements Stage<SyntheticBoxes.Spec> {
  /** The class names. */
  public static final List<String> CLASSES = List.of("square", "bar");
  static final int WIDTH = 96;
  static final int HEIGHT = 72;

  /**
   * @param train samples in the train split
   * @param test samples in the test split
   */
  public record Spec(int train, int test) implements StageSpec {}

  /** A source of {@code train} and {@code test} samples. */
  public static SyntheticBoxes of(int train, int test) {
    return new SyntheticBoxes(new Spec(train, test));
  }

  /** Sample {@code index} of a split: a pure function of both. */
  public static Sample sample(String split, int index) {
    SplittableRandom random = new SplittableRandom(split.hashCode() * 31L + index);
    byte[] px = new byte[HEIGHT * WIDTH * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (70 + random.nextInt(60));
    }
    List<Box> boxes = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int k = 0; k < count; k++) {
      int cls = random.nextInt(2);
      int w = cls == 0 ? 14 + random.nextInt(9) : 28 + random.nextInt(6);
      int h = cls == 0 ? w : 9 + random.nextInt(3);
      int x0 = (k * WIDTH / count) + random.nextInt(Math.max(1, WIDTH / count - w));
      int y0 = random.nextInt(HEIGHT - h);
      int[] rgb = cls == 0 ? new int[] {220, 30, 30} : new int[] {30, 40, 230};
      boxes.add(SyntheticShards.fillBox(px, WIDTH, x0, y0, Math.min(WIDTH, x0 + w) - x0, h, cls, rgb));
    }
    String id = String.format(Locale.ROOT, "synthetic/%s/%04d", split, index);
    return new Sample(id, px, HEIGHT, WIDTH, 3, DType.UINT8, Layout.HWC, null, null, boxes, null,
        "synthetic:" + index, split);
  }

  @Override
  public Stage<Spec> withSpec(Spec newSpec) {
    return new SyntheticBoxes(newSpec);
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
    DatasetManifest manifest = SyntheticShards.write(context.outputDirectory(), "synthetic", CLASSES,
        new java.util.TreeMap<>(java.util.Map.of("train", spec.train(), "test", spec.test())), 8,
        SyntheticBoxes::sample);
    return StageResult.of(manifest.totalRows());
  }
}
