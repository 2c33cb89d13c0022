package dev.tessera.stages.detection.coco;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates detections against a COCO ground truth in one process, as pycocotools' {@code COCOeval} with
 * {@code iouType="bbox"} does: every ground-truth image counts, also those without detections; detections of a
 * category the ground truth does not list are not evaluated.
 *
 * <pre>{@code
 * CocoGroundTruth gt = CocoJson.readGroundTruth(Path.of("instances_val2017.json"));
 * CocoSummary summary = CocoEvaluator.evaluate(gt, CocoJson.readDetections(Path.of("dets.json")));
 * double map = summary.get(CocoMetric.AP);
 * }</pre>
 */
public final class CocoEvaluator {
  private CocoEvaluator() {}

  /** The 12 COCO numbers and per-category AP of {@code detections}. */
  public static CocoSummary evaluate(CocoGroundTruth groundTruth, List<CocoDetection> detections) {
    CocoPartial total = CocoPartial.empty();
    for (ImageBoxes image : byImage(groundTruth, detections)) {
      total.addAll(evaluateImage(image, groundTruth));
    }
    return total.summarize();
  }

  /** One image's partial result, to merge with others in any order. */
  public static CocoPartial evaluateImage(ImageBoxes image, CocoGroundTruth groundTruth) {
    return CocoPartial.ofImage(image.imageId(), image.groundTruth(), image.detections(), groundTruth.categoryIds());
  }

  /**
   * The ground-truth images in file order, each with its annotations and detections.
   *
   * @throws IllegalArgumentException naming the first detection whose image the ground truth does not have
   *     (pycocotools refuses such results too)
   */
  public static List<ImageBoxes> byImage(CocoGroundTruth groundTruth, List<CocoDetection> detections) {
    Map<Long, List<CocoDetection>> dets = new LinkedHashMap<>();
    for (int i = 0; i < detections.size(); i++) {
      CocoDetection d = detections.get(i);
      if (!groundTruth.hasImage(d.imageId())) {
        throw new IllegalArgumentException("detection " + i + " has image_id " + d.imageId() + ", which is not"
            + " among the ground truth's " + groundTruth.images().size() + " images. Evaluate against the ground"
            + " truth the detections were made for.");
      }
      dets.computeIfAbsent(d.imageId(), k -> new ArrayList<>()).add(d);
    }
    List<ImageBoxes> out = new ArrayList<>();
    for (CocoImage image : groundTruth.images()) {
      out.add(new ImageBoxes(
          image.id(), groundTruth.annotations(image.id()), dets.getOrDefault(image.id(), List.of())));
    }
    return out;
  }
}
