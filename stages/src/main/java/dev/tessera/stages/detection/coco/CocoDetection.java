package dev.tessera.stages.detection.coco;

import dev.tessera.stages.detection.boxes.Corners;
import dev.tessera.stages.detection.nms.Detection;
import java.io.Serializable;

/**
 * One entry of a COCO result file, {@code {image_id, category_id, bbox: [x, y, width, height], score}}. Its area,
 * for the small/medium/large ranges, is {@code width * height}, as pycocotools' {@code loadRes} computes it.
 */
public record CocoDetection(long imageId, int categoryId, double x, double y, double width, double height,
    double score) implements Serializable {

  /** A result entry from a post-processed detection; {@code categoryId} maps the detector's class id. */
  public static CocoDetection of(long imageId, int categoryId, Detection detection) {
    Corners b = detection.box();
    return new CocoDetection(imageId, categoryId, b.x1(), b.y1(), b.x2() - b.x1(), b.y2() - b.y1(),
        detection.score());
  }

  public double area() {
    return width * height;
  }
}
