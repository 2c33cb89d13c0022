package dev.tessera.stages.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.transforms.sample.Sample;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image + mask folders through the ingest stage: masks binarized at 128, aligned, and a seeded hold-out split. */
class MaskIngestTest {
  private static final int W = 12;
  private static final int H = 8;

  @TempDir Path tmp;

  /** Image {@code i}: gray level 10 i + x; its mask: 255 where x >= 6, 127 at x = 5, 128 at x = 4, else 0. */
  private static Path pairs(Path root, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
      BufferedImage mask = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          image.getRaster().setSample(x, y, 0, 10 * i + x);
          mask.getRaster().setSample(x, y, 0, x >= 6 ? 255 : x == 5 ? 127 : x == 4 ? 128 : 0);
        }
      }
      Files.createDirectories(root.resolve("image"));
      Files.createDirectories(root.resolve("label"));
      ImageIO.write(image, "png", root.resolve("image/" + i + ".png").toFile());
      ImageIO.write(mask, "png", root.resolve("label/" + i + ".png").toFile());
    }
    return root;
  }

  private RunResult ingest(Ingest stage) {
    Engine engine = new Engine(tmp.resolve("home"));
    engine.options = engine.options.withPipelineArgs(List.of("--runner=DirectRunner",
        "--enforceImmutability=true", "--enforceEncodability=true"));
    return engine.run(Experiment.named("mask-test").stage("ingest", stage).build());
  }

  @Test
  void writesEachImageWithItsBinarizedMaskAndHoldsOutASeededSplit() throws Exception {
    Path root = pairs(tmp.resolve("pairs"), 6);
    RunResult result = ingest(Ingest.local("cells", root.toString()).format(SourceFormat.MASKS)
        .holdout(new HoldoutSpec("val", 2, 5)));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    Path dir = result.artifacts().get("ingest").directory();
    DatasetManifest manifest = DatasetManifest.read(dir);
    assertEquals(List.of("background", "foreground"), manifest.classes());
    assertEquals(4, manifest.splits().get("train").rows());
    assertEquals(2, manifest.splits().get("val").rows());
    Map<String, Sample> samples = IngestTest.samples(dir);
    for (Sample s : samples.values()) {
      assertTrue(s.id().startsWith("cells/" + s.split() + "/"), s.id());
      int i = Integer.parseInt(s.id().substring(s.id().lastIndexOf('/') + 1));
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int p = y * W + x;
          assertEquals(10 * i + x, s.pixels()[3 * p] & 0xFF, "image pixel " + x + "," + y + " of " + s.id());
          assertEquals(x >= 4 && x != 5 ? 1 : 0, s.mask()[p], "mask pixel " + x + "," + y + " of " + s.id());
        }
      }
    }
    // The same seed holds out the same samples; another seed others.
    SourcePlan plan = MaskPairs.folder("cells", root);
    assertEquals(heldOut(plan.withHoldout(new HoldoutSpec("val", 2, 5))),
        samples.keySet().stream().filter(id -> id.contains("/val/")).toList());
    assertTrue(!heldOut(plan.withHoldout(new HoldoutSpec("val", 2, 6)))
        .equals(heldOut(plan.withHoldout(new HoldoutSpec("val", 2, 5)))), "seed 6 differs from seed 5");
  }

  private static List<String> heldOut(SourcePlan plan) {
    return plan.items().stream().filter(i -> i.split().equals("val")).map(SourceItem::id).sorted().toList();
  }

  @Test
  void aMissingMaskOrAMaskOfAnotherSizeGoesToTheDeadLetterFile() throws Exception {
    Path root = pairs(tmp.resolve("pairs"), 3);
    Files.delete(root.resolve("label/1.png"));
    ImageIO.write(new BufferedImage(5, 5, BufferedImage.TYPE_BYTE_GRAY), "png", root.resolve("label/2.png").toFile());
    RunResult result = ingest(Ingest.local("cells", root.toString()).format(SourceFormat.MASKS));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());
    List<DeadLetter> letters = DeadLetters.read(result.artifacts().get("ingest").directory());
    assertEquals(2, letters.size(), letters.toString());
    assertTrue(letters.get(0).reason().contains("no mask 1.*"), letters.toString());
    assertTrue(letters.get(1).reason().contains("is 5x5, but its image is 12x8"), letters.toString());
  }

  @Test
  void holdoutAsLargeAsTrainIsRejectedWithTheCounts() throws Exception {
    SourcePlan plan = MaskPairs.folder("cells", pairs(tmp.resolve("pairs"), 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plan.withHoldout(HoldoutSpec.of(3)));
    assertTrue(e.getMessage().startsWith("ingest.holdout.count must be smaller than the 3 samples of split 'train', "
        + "but was 3"), e.getMessage());
  }
}
