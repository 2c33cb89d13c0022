package dev.tessera.stages.augment;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.preview.Normalization;
import dev.tessera.transforms.image.LetterboxSample;
import dev.tessera.transforms.image.NormalizeSample;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DetectionAugment} on a synthetic detection dataset, on the DirectRunner with its per-element checks on. */
class DetectionAugmentTest {
  private static final List<String> DIRECT_CHECKED =
      List.of("--runner=DirectRunner", "--enforceImmutability=true", "--enforceEncodability=true");

  @TempDir Path dir;

  private RunResult run(String home, long seed, DetectionAugment augment) {
    Experiment experiment = Experiment.named("augment-test").seed(seed)
        .stage("source", SyntheticDetections.of(12, 6))
        .stage("augment", augment, after("source"))
        .build();
    Engine engine = new Engine(dir.resolve(home));
    engine.options = engine.options.withPipelineArgs(DIRECT_CHECKED);
    RunResult result = engine.run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    return result;
  }

  private static DetectionAugment stage() {
    return DetectionAugment.letterbox(416).samplesPerShard(4);
  }

  private static Map<String, Sample> samples(Path dataset) throws Exception {
    Map<String, Sample> all = new TreeMap<>();
    for (ShardInfo shard : DatasetManifest.read(dataset).shards()) {
      try (ShardReader reader = ShardReader.open(dataset.resolve(shard.file()))) {
        Iterator<Sample> it = reader.samples();
        String previous = "";
        while (it.hasNext()) {
          Sample s = it.next();
          assertTrue(s.id().compareTo(previous) > 0, "rows of " + shard.file() + " are sorted by id");
          previous = s.id();
          assertNull(all.put(s.id(), s), "id " + s.id() + " occurs once");
        }
      }
    }
    return all;
  }

  private static Map<String, String> shardHashes(DatasetManifest manifest) {
    Map<String, String> hashes = new TreeMap<>();
    manifest.shards().forEach(s -> hashes.put(s.file(), s.sha256()));
    return hashes;
  }

  /** The widest box of class {@code classId} in {@code split}. */
  private static double widest(Map<String, Sample> samples, String split, int classId) {
    return samples.values().stream().filter(s -> s.split().equals(split)).flatMap(s -> s.boxes().stream())
        .filter(b -> b.classId() == classId).mapToDouble(Box::width).max().orElse(0);
  }

  @Test
  void mosaicObjectsAreAsLargeAsLetterboxedTestObjects() throws Exception {
    // The synthetic 'bar' is 12x6 in images whose longer side is 64: a letterbox to 416 scales it by 6.5 to 78x39.
    Map<String, Sample> full = samples(run("full", 5, stage()).artifacts().get("augment").directory());
    assertEquals(78, widest(full, "val", 1), 0.5, "letterboxed (unaugmented) bar");
    assertEquals(78, widest(full, "train", 1), 0.5, "full-scale mosaic: the same size as in val");
    DetectionAugment half = new DetectionAugment(stage().spec().withMosaic(List.of("train"), 1.0, 640, 320));
    Map<String, Sample> halved = samples(run("half", 5, half).artifacts().get("augment").directory());
    assertEquals(39, widest(halved, "train", 1), 0.5,
        "tiles of half a 640 canvas letterboxed to 416 halve the objects: 12 * 5 * 0.65 px");
  }

  @Test
  void sameSeedGivesByteIdenticalShardsAndAnotherSeedChangesOnlyTheMosaicSplit() throws Exception {
    DatasetManifest first = DatasetManifest.read(run("a", 42, stage()).artifacts().get("augment").directory());
    DatasetManifest again = DatasetManifest.read(run("b", 42, stage()).artifacts().get("augment").directory());
    DatasetManifest other = DatasetManifest.read(run("c", 7, stage()).artifacts().get("augment").directory());

    assertEquals(shardHashes(first), shardHashes(again));
    assertEquals(first.digest(), again.digest());
    assertNotEquals(first.digest(), other.digest());
    assertNotEquals(shardHashes(first.splits().get("train")), shardHashes(other.splits().get("train")),
        "a different seed gives different mosaics");
    assertEquals(shardHashes(first.splits().get("val")), shardHashes(other.splits().get("val")),
        "val is only letterboxed and normalized, whatever the seed");
    assertEquals(18, first.totalRows());
  }

  private static Map<String, String> shardHashes(DatasetManifest.Split split) {
    Map<String, String> hashes = new TreeMap<>();
    split.shards().forEach(s -> hashes.put(s.file(), s.sha256()));
    return hashes;
  }

  @Test
  void everyOutputIsFloatChw416WithItsBoxesInsideTheSquare() throws Exception {
    RunResult result = run("home", 42, stage());
    Path out = result.artifacts().get("augment").directory();
    Map<String, Sample> samples = samples(out);
    assertEquals(18, samples.size());
    int boxes = 0;
    for (Sample s : samples.values()) {
      assertEquals(DType.FLOAT32, s.dtype(), s.id());
      assertEquals(Layout.CHW, s.layout(), s.id());
      assertEquals(List.of(416, 416, 3), List.of(s.height(), s.width(), s.channels()), s.id());
      for (Box b : s.boxes()) {
        assertNull(b.problem(416, 416), s.id() + ": " + b);
        boxes++;
      }
    }
    assertTrue(boxes > 18, "mosaics carry boxes of four images: " + boxes);
    assertEquals(12.0, result.summary("augment", "train_samples"));
    assertEquals(6.0, result.summary("augment", "val_samples"));
    assertTrue(ImageIO.read(out.resolve(DetectionAugment.PREVIEW).toFile()).getWidth() > 0);
    assertEquals(DetectionAugmentSpec.of(416).normalize(), Normalization.read(out).orElseThrow());
  }

  @Test
  void valIsOnlyLetterboxedAndNormalizedAndTrainIsMosaicked() throws Exception {
    Map<String, Sample> samples = samples(run("home", 42, stage()).artifacts().get("augment").directory());
    DetectionAugmentSpec spec = stage().spec();
    var plain = new LetterboxSample(spec.letterbox()).andThen(new NormalizeSample(spec.normalize()));
    Sample val = SyntheticDetections.sample("val", 3);
    assertEquals(plain.apply(val), samples.get(val.id()));
    Sample train = SyntheticDetections.sample("train", 3);
    assertFalse(java.util.Arrays.equals(plain.apply(train).pixels(), samples.get(train.id()).pixels()),
        "train samples are mosaics");
  }

  @Test
  void withoutMosaicTrainIsOnlyLetterboxedAndNormalizedToo() throws Exception {
    DetectionAugment noMosaic = stage().withoutMosaic();
    Map<String, Sample> samples = samples(run("home", 42, noMosaic).artifacts().get("augment").directory());
    var plain = new LetterboxSample(noMosaic.spec().letterbox()).andThen(new NormalizeSample(noMosaic.spec()
        .normalize()));
    Sample train = SyntheticDetections.sample("train", 5);
    assertEquals(plain.apply(train), samples.get(train.id()));
  }

  @Test
  void anotherEpochDrawsOtherMosaics() throws Exception {
    DatasetManifest e0 = DatasetManifest.read(run("a", 42, stage()).artifacts().get("augment").directory());
    DatasetManifest e1 = DatasetManifest.read(run("b", 42, stage().epoch(1)).artifacts().get("augment")
        .directory());
    assertNotEquals(shardHashes(e0.splits().get("train")), shardHashes(e1.splits().get("train")));
  }

  @Test
  void withMixupPairsTheTrainingSamplesKeepingBothBoxListsAndLeavesValAlone() throws Exception {
    Path plainDir = run("a", 42, stage()).artifacts().get("augment").directory();
    Map<String, Sample> plain = samples(plainDir);
    DatasetManifest mixedManifest = DatasetManifest.read(run("b", 42, stage().withMixup(1.0)).artifacts()
        .get("augment").directory());
    Path again = run("c", 42, stage().withMixup(1.0)).artifacts().get("augment").directory();
    Map<String, Sample> mixed = samples(again);
    DatasetManifest other = DatasetManifest.read(run("d", 7, stage().withMixup(1.0)).artifacts().get("augment")
        .directory());
    assertEquals(plain.keySet(), mixed.keySet(), "every input gives one output with its id");
    Map<String, String> partners = new TreeMap<>();
    for (Map.Entry<String, Sample> e : mixed.entrySet()) {
      String id = e.getKey();
      Sample before = plain.get(id);
      if (before.split().equals("val")) {
        assertEquals(before, e.getValue(), "val is not mixed up");
        continue;
      }
      assertFalse(java.util.Arrays.equals(before.pixels(), e.getValue().pixels()), id + " is blended");
      List<Box> boxes = e.getValue().boxes();
      assertEquals(before.boxes(), boxes.subList(0, before.boxes().size()), id + ": its own boxes first");
      List<Box> rest = boxes.subList(before.boxes().size(), boxes.size());
      List<String> candidates = plain.values().stream()
          .filter(p -> p.split().equals("train") && !p.id().equals(id) && p.boxes().equals(rest))
          .map(Sample::id).toList();
      assertFalse(candidates.isEmpty(), id + ": the other boxes are those of another training sample");
      partners.put(id, candidates.get(0));
    }
    assertEquals(12, partners.size(), "with probability 1 all 12 training samples (an even count) are paired");
    partners.forEach((id, partner) -> assertEquals(id, partners.get(partner), "pairs are mutual: " + id));
    assertEquals(shardHashes(mixedManifest), shardHashes(DatasetManifest.read(again)), "same seed, same bytes");
    assertNotEquals(shardHashes(mixedManifest.splits().get("train")), shardHashes(other.splits().get("train")),
        "another seed, other pairs and ratios");
    assertNotEquals(DatasetManifest.read(plainDir).digest(), mixedManifest.digest(), "mixup changes the output");
  }

  @Test
  void mixupIsSetFromTheCommandLineLikeAnyOtherSpecValue() {
    DetectionAugmentSpec spec = dev.tessera.pipelines.spec.Overrides.apply(DetectionAugmentSpec.of(416),
        dev.tessera.pipelines.spec.SpecOverride.parseAll(List.of("augment.mixupProbability=0.5",
            "augment.mixupMaxRatio=0.7")));
    assertEquals(DetectionAugmentSpec.of(416).withMixup(0.5, 0.4, 0.7), spec);
    assertTrue(spec.mixes());
    assertFalse(DetectionAugmentSpec.of(416).mixes(), "mixup is off by default");
  }

  @Test
  void specRejectsValuesOutsideTheirRangeNamingTheParameter() {
    DetectionAugmentSpec spec = DetectionAugmentSpec.of(416);
    assertEquals("augment.mosaicProbability must be in [0, 1] (0 = no mosaic), but was 1.5.",
        assertThrows(IllegalArgumentException.class, () -> spec.withMosaic(List.of("train"), 1.5, 640))
            .getMessage());
    assertEquals("augment.mixupProbability must be in [0, 1] (0 = no mixup), but was -0.5.",
        assertThrows(IllegalArgumentException.class, () -> spec.withMixup(-0.5, 0.4, 0.6)).getMessage());
    assertEquals("augment.mixupMaxRatio must be in [0.4 (augment.mixupMinRatio), 1], but was 0.3.",
        assertThrows(IllegalArgumentException.class, () -> spec.withMixup(0.5, 0.4, 0.3)).getMessage());
    assertEquals("augment.letterboxStride must be in 1..416 (augment.letterboxSize), but was 500.",
        assertThrows(IllegalArgumentException.class, () -> spec.withLetterbox(416, 500)).getMessage());
    assertEquals("augment.samplesPerShard must be >= 1, but was 0.",
        assertThrows(IllegalArgumentException.class, () -> spec.withSamplesPerShard(0)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> spec.withNormalize(List.of(0.5), List.of(0.0)))
        .getMessage().startsWith("normalize.std[0] must be > 0"));
    assertEquals(416, spec.letterbox().paddedSide());
  }

  @Test
  void outputShardsAreAStableFunctionOfTheId() {
    OutputShards shards = OutputShards.of(Map.of("train", 205L, "val", 87L), 32);
    assertEquals(Map.of("train", 7, "val", 3), shards.shardsBySplit());
    String file = shards.shardOf("train", "bccd/train/BloodImage_00001");
    assertEquals(file, OutputShards.of(Map.of("train", 205L, "val", 87L), 32)
        .shardOf("train", "bccd/train/BloodImage_00001"));
    assertTrue(file.matches("train/train-0000[0-6]\\.arrow"), file);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> shards.shardOf("test", "x")).getMessage()
        .contains("split 'test'"));
  }
}
