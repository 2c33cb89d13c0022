package dev.tessera.stages.detection.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.stages.detection.nms.Detection;
import dev.tessera.transforms.sample.Box;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Worked-out small cases, and merging in any order equal to one pass. */
class CocoPartialTest {
  private static final Set<Integer> CATS = Set.of(1, 2);
  @TempDir Path dir;

  private static CocoDetection det(long image, int cat, double x, double y, double w, double h, double score) {
    return new CocoDetection(image, cat, x, y, w, h, score);
  }

  private static CocoSummary one(List<CocoAnnotation> gt, List<CocoDetection> dets) {
    return CocoPartial.ofImage(1, gt, dets, CATS).summarize();
  }

  @Test
  void aPerfectDetectionScoresOneAndEmptyAreaRangesMinusOne() {
    // one 100x100 box (area 10000 > 96^2: large) found exactly
    CocoSummary s = one(List.of(CocoAnnotation.of(1, 1, 1, 0, 0, 100, 100)), List.of(det(1, 1, 0, 0, 100, 100, 0.9)));
    assertArrayEquals(new double[] {1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1, 1}, s.stats(), 1e-15);
  }

  @Test
  void aFalsePositiveRankedFirstHalvesPrecision() {
    // ranked: FP (0.9), TP (0.8). Cumulative precision 0/1, 1/2 at recall 0, 1; the envelope lifts the first
    // to 1/2, so the interpolated precision is 1/2 at all 101 recall thresholds: AP = 0.5 at every IoU.
    // AR@1 counts only the top detection of the image, the FP: recall 0.
    CocoSummary s = one(List.of(CocoAnnotation.of(1, 1, 1, 0, 0, 100, 100)),
        List.of(det(1, 1, 300, 300, 50, 50, 0.9), det(1, 1, 0, 0, 100, 100, 0.8)));
    assertEquals(0.5, s.get(CocoMetric.AP), 1e-12);
    assertEquals(0.5, s.get(CocoMetric.AP50), 1e-12);
    assertEquals(0, s.get(CocoMetric.AR1), 1e-12);
    assertEquals(1, s.get(CocoMetric.AR10), 1e-12);
  }

  @Test
  void anImageWithoutDetectionsCostsRecall() {
    // two images, one box each; only image 1's is found: precision 1 up to recall 1/2, then nothing.
    // Recall thresholds 0.00 ... 0.50 (51 of 101) get precision 1: AP = 51/101; AR = 1/2.
    CocoPartial total = CocoPartial.ofImage(1, List.of(CocoAnnotation.of(1, 1, 1, 0, 0, 50, 50)),
        List.of(det(1, 1, 0, 0, 50, 50, 0.7)), CATS);
    total.addAll(CocoPartial.ofImage(2, List.of(CocoAnnotation.of(2, 2, 1, 0, 0, 50, 50)), List.of(), CATS));
    CocoSummary s = total.summarize();
    assertEquals(51.0 / 101, s.get(CocoMetric.AP), 1e-12);
    assertEquals(0.5, s.get(CocoMetric.AR100), 1e-12);
    assertEquals(2, total.images());
  }

  @Test
  void detectionsOfACategoryWithoutGroundTruthDoNotCount() {
    // category 2 has detections but no ground truth: pycocotools leaves it out of every mean
    CocoSummary s = one(List.of(CocoAnnotation.of(1, 1, 1, 0, 0, 100, 100)),
        List.of(det(1, 1, 0, 0, 100, 100, 0.5), det(1, 2, 0, 0, 100, 100, 0.9), det(1, 7, 0, 0, 9, 9, 0.9)));
    assertEquals(1, s.get(CocoMetric.AP), 1e-12);
    assertEquals(Set.of(1), s.categoryAp().keySet());
  }

  @Test
  void detectionsOnACrowdRegionAreIgnored() {
    // the 0.9 detection lies inside a crowd region: neither hit nor false positive, so AP stays 1
    CocoAnnotation crowd = new CocoAnnotation(2, 1, 1, 200, 200, 100, 100, 10000, true);
    CocoSummary s = one(List.of(CocoAnnotation.of(1, 1, 1, 0, 0, 100, 100), crowd),
        List.of(det(1, 1, 210, 210, 50, 50, 0.9), det(1, 1, 0, 0, 100, 100, 0.5)));
    assertEquals(1, s.get(CocoMetric.AP), 1e-12);
  }

  @Test
  void noGroundTruthAtAllGivesMinusOne() {
    CocoSummary s = CocoPartial.empty().summarize();
    for (double v : s.stats()) {
      assertEquals(-1, v);
    }
  }

  @Test
  void mergingShardsInAnyOrderEqualsOnePassExactly() {
    CocoGroundTruth gt = CocoJson.readGroundTruth(fixture("fixture_gt.json"));
    List<ImageBoxes> images = CocoEvaluator.byImage(gt, CocoJson.readDetections(fixture("fixture_dets.json")));
    double[] onePass = CocoEvaluator.evaluate(gt, CocoJson.readDetections(fixture("fixture_dets.json"))).stats();
    Random random = new Random(3);
    for (int round = 0; round < 20; round++) {
      List<ImageBoxes> shuffled = new ArrayList<>(images);
      Collections.shuffle(shuffled, random);
      int shards = 1 + random.nextInt(4);
      List<CocoPartial> partials = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        partials.add(CocoPartial.empty());
      }
      for (ImageBoxes image : shuffled) {
        partials.get(random.nextInt(shards)).addAll(CocoEvaluator.evaluateImage(image, gt));
      }
      Collections.shuffle(partials, random);
      CocoPartial total = CocoPartial.empty();
      partials.forEach(total::addAll);
      assertArrayEquals(onePass, total.summarize().stats(), 0.0, "round " + round);
    }
  }

  @Test
  void encodedStateDecodesToTheSameResult() throws Exception {
    CocoGroundTruth gt = CocoJson.readGroundTruth(fixture("fixture_gt.json"));
    CocoPartial total = CocoPartial.empty();
    CocoEvaluator.byImage(gt, CocoJson.readDetections(fixture("fixture_dets.json")))
        .forEach(i -> total.addAll(CocoEvaluator.evaluateImage(i, gt)));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    total.encode(bytes);
    CocoPartial decoded = CocoPartial.decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertArrayEquals(total.summarize().stats(), decoded.summarize().stats(), 0.0);
    assertEquals(total.images(), decoded.images());
  }

  @Test
  void sampleBoxesAndNmsDetectionsConvertToCocoLayout() {
    ImageBoxes image = ImageBoxes.of(5, List.of(new Box(10, 20, 40, 60, 1)),
        List.of(Detection.of(12, 20, 40, 61, 0.8, 1)));
    assertEquals(List.of(new CocoAnnotation(1, 5, 1, 10, 20, 30, 40, 1200, false)), image.groundTruth());
    assertEquals(List.of(new CocoDetection(5, 1, 12, 20, 28, 41, 0.8)), image.detections());
    CocoSummary s = CocoPartial.ofImage(5, image.groundTruth(), image.detections(), CATS).summarize();
    // IoU = (28 * 40) / (1200 + 28 * 41 - 28 * 40) = 1120 / 1228 = 0.912: a hit at IoU 0.50 ... 0.90 only
    assertEquals(1, s.get(CocoMetric.AP50), 1e-12);
    assertEquals(0.9, s.get(CocoMetric.AP), 1e-12);
  }

  @Test
  void rejectsBoxesOfAnotherImage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CocoPartial.ofImage(1, List.of(), List.of(det(2, 1, 0, 0, 1, 1, 0.5)), CATS));
    assertEquals("detection " + det(2, 1, 0, 0, 1, 1, 0.5) + " belongs to image 2, not to image 1. Pass one"
        + " image's boxes at a time.", e.getMessage());
  }

  private Path fixture(String name) {
    try {
      return PycocotoolsReference.copy("detection/coco/" + name, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
