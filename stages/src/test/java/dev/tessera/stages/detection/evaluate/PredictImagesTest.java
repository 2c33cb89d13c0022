package dev.tessera.stages.detection.evaluate;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.data.ShardInfo;
import dev.tessera.pipelines.data.ShardReader;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.augment.DetectionAugment;
import dev.tessera.stages.detection.coco.CocoDetection;
import dev.tessera.stages.detection.coco.CocoJson;
import dev.tessera.stages.detection.nms.NmsSpec;
import dev.tessera.stages.detection.train.SyntheticBoxes;
import dev.tessera.stages.detection.train.TrainDetector;
import dev.tessera.stages.detection.train.TrainDetectorSpec;
import dev.tessera.transforms.sample.Sample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PredictImages} on image files gives the boxes the evaluate stage scored on the same images. */
class PredictImagesTest {
  @TempDir Path dir;

  private static void writePng(byte[] rgb, int height, int width, Path file) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = (y * width + x) * 3;
        image.setRGB(x, y, (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | (rgb[p + 2] & 0xFF));
      }
    }
    ImageIO.write(image, "png", file.toFile());
  }

  @Test
  void predictionsOnTheTestImagesEqualTheEvaluateStagesDetectionsAndAnotherSizeWorks() throws Exception {
    TrainDetectorSpec train = TrainDetectorSpec.defaults(64).withEpochs(2).withBatchSize(8).withWarmupEpochs(1)
        .withSize(0.125, 0.33).withEma(false).withAugment(0, 0, false, 0);
    Experiment experiment = Experiment.named("predict-test").seed(5)
        .stage("source", SyntheticBoxes.of(8, 4))
        .stage("augment", DetectionAugment.letterbox(64).withoutMosaic().samplesPerShard(8), after("source"))
        .stage("train-detector", new TrainDetector(train), after("augment"))
        .stage("evaluate", EvaluateDetection.onTest(), after("train-detector", "source"))
        .build();
    RunResult result = new Engine(dir.resolve("home")).run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), () -> EvaluateDetectionTest.errors(result));

    // The test images as PNG files, in the order the evaluate stage numbered them (shard, then row).
    Path source = result.artifacts().get("source").directory();
    List<Path> files = new ArrayList<>();
    List<Long> evaluateIds = new ArrayList<>();
    List<ShardInfo> shards = DatasetManifest.read(source).splits().get("test").shards();
    for (int i = 0; i < shards.size(); i++) {
      try (ShardReader reader = ShardReader.open(source.resolve(shards.get(i).file()))) {
        var it = reader.samples();
        for (int row = 0; it.hasNext(); row++) {
          Sample s = it.next();
          evaluateIds.add(i * 1_000_000L + row); // the evaluate stage's image id: shard index, then row
          Path png = dir.resolve("image-" + files.size() + ".png");
          writePng(s.pixels(), s.height(), s.width(), png);
          files.add(png);
        }
      }
    }
    Path modelDir = result.artifacts().get("train-detector").directory();
    Path out = dir.resolve("predictions");
    PredictImages.Result predicted = PredictImages.run(modelDir, files, NmsSpec.defaults(), 0.25, out);

    Map<Long, List<CocoDetection>> evaluated = CocoJson.readDetections(
        result.artifacts().get("evaluate").directory().resolve("detections.json")).stream()
        .collect(Collectors.groupingBy(CocoDetection::imageId));
    Map<Long, List<CocoDetection>> mine = CocoJson.readDetections(out.resolve(PredictImages.PREDICTIONS)).stream()
        .collect(Collectors.groupingBy(CocoDetection::imageId));
    assertFalse(evaluated.isEmpty(), "the briefly trained detector finds something to compare");
    for (int k = 0; k < files.size(); k++) {
      List<CocoDetection> expected = evaluated.getOrDefault(evaluateIds.get(k), List.of());
      List<CocoDetection> actual = mine.getOrDefault((long) k + 1, List.of());
      assertEquals(expected.size(), actual.size(), "detections of image " + k);
      for (int i = 0; i < expected.size(); i++) {
        CocoDetection e = expected.get(i);
        CocoDetection a = actual.get(i);
        assertEquals(e.categoryId(), a.categoryId());
        assertEquals(e.score(), a.score(), 1e-6);
        assertEquals(e.x(), a.x(), 1e-4);
        assertEquals(e.y(), a.y(), 1e-4);
        assertEquals(e.width(), a.width(), 1e-4);
        assertEquals(e.height(), a.height(), 1e-4);
      }
      assertTrue(Files.size(out.resolve(predicted.images().get(k).drawn())) > 0, "drawn PNG of image " + k);
    }
    assertTrue(Files.size(out.resolve(PredictImages.IMAGES)) > 0);

    // An image of another size and aspect goes through the letterbox; boxes land in its own pixels.
    Sample first = SyntheticBoxes.sample("test", 0);
    int height = 150;
    int width = 90;
    byte[] resized = new byte[height * width * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int from = ((y * first.height() / height) * first.width() + x * first.width() / width) * 3;
        System.arraycopy(first.pixels(), from, resized, (y * width + x) * 3, 3);
      }
    }
    Path tall = dir.resolve("tall.png");
    writePng(resized, height, width, tall);
    PredictImages.Result other = PredictImages.run(modelDir, List.of(tall), NmsSpec.defaults(), 0.25,
        dir.resolve("tall"));
    assertEquals(width, other.images().get(0).width());
    for (CocoDetection d : other.detections()) {
      assertTrue(d.x() >= 0 && d.y() >= 0 && d.x() + d.width() <= width + 1e-6
          && d.y() + d.height() <= height + 1e-6, "inside the 90x150 image: " + d);
    }

    Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
    IOException bad = assertThrows(IOException.class, () -> PredictImages.run(modelDir, List.of(text),
        NmsSpec.defaults(), 0.25, dir.resolve("bad")));
    assertTrue(bad.getMessage().contains("notes.png"), bad.getMessage());
  }
}
