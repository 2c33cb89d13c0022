package dev.tessera.stages.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.ingest.HoldoutSpec;
import dev.tessera.stages.ingest.Ingest;
import dev.tessera.stages.ingest.SourceFormat;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.OnlineSpec;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.TrainSpec;
import dev.tessera.stages.train.ValidationSpec;
import dev.tessera.stages.train.models.BceDiceLoss;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of image + mask pairs, a U-Net trained for a few steps, and evaluate-segmentation on the held-out images:
 * metrics at the images' own resolution (48x40, where the model ran at 16x16), consistent with the counts written,
 * and the overlay PNG.
 */
class EvaluateSegmentationTest {
  private static final int W = 48;
  private static final int H = 40;

  @TempDir Path tmp;

  /** Gray images, level 60 with a bright disc (200) whose pixels are the mask's class 1 (255 in the PNG). */
  static Path pairs(Path root, int count) throws Exception {
    Files.createDirectories(root.resolve("image"));
    Files.createDirectories(root.resolve("label"));
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
      BufferedImage mask = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
      int cx = 12 + (i * 7) % 24;
      int cy = 12 + (i * 5) % 16;
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 100;
          image.getRaster().setSample(x, y, 0, inside ? 200 : 60);
          mask.getRaster().setSample(x, y, 0, inside ? 255 : 0);
        }
      }
      ImageIO.write(image, "png", root.resolve("image/" + i + ".png").toFile());
      ImageIO.write(mask, "png", root.resolve("label/" + i + ".png").toFile());
    }
    return root;
  }

  /** Ingest of 12 pairs in {@code root} (3 held out as {@code val}), a U-Net trained 2 epochs, evaluated on val. */
  static Experiment experiment(Path root) {
    TrainSpec train = TrainSpec.defaults(Models.unet(2, 4).withInput(3, 16, 16)).withEpochs(2).withBatchSize(4)
        .withDevice("cpu").withLoss(BceDiceLoss.NAME).withLearningRate(0.01)
        .withValidation(new ValidationSpec("val", 0))
        .withOnline(OnlineSpec.resizeNormalize(16, 16, 0.5, 0.25));
    return Experiment.named("segmentation-test").seed(3)
        .stage("ingest", Ingest.local("discs", root.toString()).format(SourceFormat.MASKS)
            .holdout(new HoldoutSpec("val", 3, 1)))
        .stage("train", new Train(train), Experiment.after("ingest"))
        .stage("evaluate", new EvaluateSegmentation(new EvaluateSegmentationSpec("val", 2)),
            Experiment.after("train", "ingest"))
        .build();
  }

  @Test
  void evaluatesTheHeldOutImagesAtTheirOwnSizeAndDrawsTheOverlay() throws Exception {
    Experiment experiment = experiment(pairs(tmp.resolve("discs"), 12));
    Engine engine = new Engine(tmp.resolve("home"));
    engine.options = engine.options.withPipelineArgs(List.of("--runner=DirectRunner"));
    RunResult result = engine.run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), result.run().stages.toString());

    Path out = result.artifacts().get("evaluate").directory();
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertEquals(3, metrics.get("images").asInt());
    assertEquals(3L * W * H, metrics.get("pixels").asLong(), "every pixel at the images' own resolution");
    assertEquals(List.of("background", "foreground"), List.of(metrics.get("classes").get(0).asText(),
        metrics.get("classes").get(1).asText()));
    long[][] counts = new ObjectMapper().convertValue(metrics.get("confusion"), long[][].class);
    SegmentationReport report = new SegmentationReport(List.of("background", "foreground"),
        dev.tessera.stages.evaluate.ConfusionMatrix.of(counts));
    for (String key : List.of("pixel_accuracy", "mean_iou", "mean_dice")) {
      assertEquals(report.summary().get(key), result.summary("evaluate", key), key);
      assertEquals(report.summary().get(key), metrics.get(key).asDouble(), key);
    }
    double meanIou = result.summary("evaluate", "mean_iou");
    assertTrue(meanIou >= 0 && meanIou <= 1, "mean IoU " + meanIou);

    BufferedImage overlay = ImageIO.read(out.resolve(EvaluateSegmentation.OVERLAY).toFile());
    assertEquals(2 * W, overlay.getWidth(), "two tiles side by side");
    assertEquals(H, overlay.getHeight());
    int green = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < 2 * W; x++) {
        green += overlay.getRGB(x, y) == new java.awt.Color(0, 230, 0).getRGB() ? 1 : 0;
      }
    }
    assertTrue(green > 2 * 40, "the discs' ground-truth boundaries are drawn: " + green + " pixels");
  }
}
