package dev.tessera.stages.augment;

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

/**
 * A detection dataset for tests without the data mirror: {@code train} and {@code val} splits of small RGB images
 * (alternately 48x64 and 64x40) on a gray background, each with two filled rectangles and their boxes. Written
 * without Beam, in shards of 4, so only the stage under test runs on Beam.
 */
record SyntheticDetections(SyntheticDetections.Spec spec) implements Stage<SyntheticDetections.Spec> {
  static final List<String> CLASSES = List.of("square", "bar");

  /**
   * @param train samples in the train split
   * @param val samples in the val split
   */
  record Spec(int train, int val) implements StageSpec {}

  static SyntheticDetections of(int train, int val) {
    return new SyntheticDetections(new Spec(train, val));
  }

  /** Sample {@code index} of a split, as the stage writes it. */
  static Sample sample(String split, int index) {
    int h = index % 2 == 0 ? 48 : 64;
    int w = index % 2 == 0 ? 64 : 40;
    byte[] px = new byte[h * w * 3];
    java.util.Arrays.fill(px, (byte) 90);
    List<Box> boxes = new ArrayList<>();
    int s = 6 + index % 5;
    boxes.add(SyntheticShards.fillBox(px, w, index % (w - s), index % (h - s), s, s, 0, new int[] {200, 40, 40}));
    boxes.add(SyntheticShards.fillBox(px, w, w - 14, h - 8 - index % 3, 12, 6, 1, new int[] {30, 30 + 8 * index % 200, 220}));
    String id = String.format(Locale.ROOT, "synthetic/%s/%04d", split, index);
    return new Sample(id, px, h, w, 3, DType.UINT8, Layout.HWC, null, null, boxes, null, "synthetic:" + index,
        split);
  }

  @Override
  public Stage<Spec> withSpec(Spec newSpec) {
    return new SyntheticDetections(newSpec);
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
        new java.util.TreeMap<>(java.util.Map.of("train", spec.train(), "val", spec.val())), 4,
        SyntheticDetections::sample);
    return StageResult.of(manifest.totalRows());
  }
}
