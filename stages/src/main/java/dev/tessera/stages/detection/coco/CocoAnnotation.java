package dev.tessera.stages.detection.coco;

import dev.tessera.stages.detection.boxes.Corners;
import java.io.Serializable;

/**
 * A ground-truth box of a COCO file: {@code bbox} as {@code [x, y, width, height]} in pixels, {@code area} as the
 * file states it (for COCO, the segmentation's area, which decides small/medium/large), and {@code crowd} for
 * {@code iscrowd = 1} regions, which detections may match without counting as hits or misses.
 */
public record CocoAnnotation(
    long id, long imageId, int categoryId, double x, double y, double width, double height, double area,
    boolean crowd) implements Serializable {

  /** An ordinary (non-crowd) annotation whose area is its box's. */
  public static CocoAnnotation of(long id, long imageId, int categoryId, double x, double y, double w, double h) {
    return new CocoAnnotation(id, imageId, categoryId, x, y, w, h, w * h, false);
  }

  /** The box as pixel corners. */
  public Corners corners() {
    return Corners.fromXywh(x, y, width, height);
  }
}
