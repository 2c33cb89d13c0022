package dev.tessera.stages.detection.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator against pycocotools 2.0.11 on the committed fixture and on coco128 with generated detections. */
class CocoParityTest {
  @TempDir Path dir;

  @Test
  void handMadeFixtureEqualsPycocotools() throws Exception {
    // The fixture has a crowd region, boxes in every area range (one exactly 32^2), a listed category without
    // ground truth but with detections, a category not listed at all, tied scores within and across images, an
    // image without ground truth and one without detections, more than 10 detections in one image, and IoUs of
    // exactly 0.5, 0.75, 0.9 and 0.95 (ties with the thresholds).
    Path gt = PycocotoolsReference.copy("detection/coco/fixture_gt.json", dir);
    Path dets = PycocotoolsReference.copy("detection/coco/fixture_dets.json", dir);
    CocoSummary summary = CocoEvaluator.evaluate(CocoJson.readGroundTruth(gt), CocoJson.readDetections(dets));
    JsonNode reference = PycocotoolsReference.evaluate(gt, dets, dir);
    double worst = PycocotoolsReference.assertMatches(reference, summary, 1e-4);
    assertEquals(0, worst, "same arithmetic and summation order as pycocotools and numpy: bit-for-bit equal");
    assertTrue(summary.get(CocoMetric.AR10) < summary.get(CocoMetric.AR100), "fixture must separate AR@10 and 100");
  }

  @Test
  void coco128WithGeneratedDetectionsEqualsPycocotools() throws Exception {
    String mirror = System.getenv("TESSERA_DATA_MIRROR");
    assumeTrue(mirror != null && !mirror.isBlank(),
        "TESSERA_DATA_MIRROR is not set: this test reads coco128/annotations/instances_train2017.json from it");
    Path gtFile = Path.of(mirror, "coco128", "annotations", "instances_train2017.json");
    assumeTrue(Files.isRegularFile(gtFile), "the data mirror " + mirror + " has no " + gtFile);
    CocoGroundTruth gt = CocoJson.readGroundTruth(gtFile);
    List<CocoDetection> generated = generate(gt, new Random(128));
    Path dets = dir.resolve("dets.json");
    CocoJson.writeDetections(generated, dets);

    CocoSummary summary = CocoEvaluator.evaluate(gt, CocoJson.readDetections(dets));
    JsonNode reference = PycocotoolsReference.evaluate(gtFile, dets, dir);
    double worst = PycocotoolsReference.assertMatches(reference, summary, 1e-4);
    assertEquals(0, worst, "same arithmetic and summation order as pycocotools and numpy: bit-for-bit equal");
    assertTrue(summary.get(CocoMetric.AP) > 0.1 && summary.get(CocoMetric.AP) < 0.9,
        "generated detections should be neither useless nor perfect, but AP was " + summary.get(CocoMetric.AP));
  }

  /**
   * Seeded detections: ground-truth boxes jittered (some missed, some duplicated, some with the wrong class),
   * false positives, every ninth image without detections, detections for categories without ground truth, and
   * scores rounded to two decimals so that ties occur.
   */
  static List<CocoDetection> generate(CocoGroundTruth gt, Random random) {
    Set<Integer> withGt = new TreeSet<>();
    gt.annotations().forEach(a -> withGt.add(a.categoryId()));
    List<Integer> categories = new ArrayList<>(gt.categoryIds());
    List<Integer> withoutGt = new ArrayList<>(categories);
    withoutGt.removeAll(withGt);
    List<CocoDetection> out = new ArrayList<>();
    int index = 0;
    for (CocoImage image : gt.images()) {
      if (index++ % 9 == 4) {
        continue;
      }
      for (CocoAnnotation a : gt.annotations(image.id())) {
        if (random.nextDouble() < 0.15) {
          continue;
        }
        int copies = random.nextDouble() < 0.1 ? 2 : 1;
        for (int c = 0; c < copies; c++) {
          double w = a.width() * Math.exp(random.nextGaussian() * 0.12);
          double h = a.height() * Math.exp(random.nextGaussian() * 0.12);
          double x = a.x() + random.nextGaussian() * 0.08 * a.width();
          double y = a.y() + random.nextGaussian() * 0.08 * a.height();
          int category = random.nextDouble() < 0.08 ? categories.get(random.nextInt(categories.size()))
              : a.categoryId();
          out.add(new CocoDetection(image.id(), category, x, y, w, h, score(random, 0.3, 1.0)));
        }
      }
      int falsePositives = random.nextInt(4);
      for (int f = 0; f < falsePositives; f++) {
        double w = 4 + random.nextDouble() * 200;
        double h = 4 + random.nextDouble() * 200;
        out.add(new CocoDetection(image.id(), categories.get(random.nextInt(categories.size())),
            random.nextDouble() * 400, random.nextDouble() * 400, w, h, score(random, 0.0, 0.7)));
      }
      if (!withoutGt.isEmpty() && random.nextDouble() < 0.3) {
        out.add(new CocoDetection(image.id(), withoutGt.get(random.nextInt(withoutGt.size())),
            10, 10, 50, 50, score(random, 0.2, 0.9)));
      }
    }
    assertEquals(true, out.size() > 500, "generated " + out.size() + " detections");
    return out;
  }

  private static double score(Random random, double min, double max) {
    return Math.round((min + random.nextDouble() * (max - min)) * 100) / 100.0;
  }
}
