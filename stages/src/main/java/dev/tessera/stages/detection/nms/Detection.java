package dev.tessera.stages.detection.nms;

import dev.tessera.stages.detection.boxes.Corners;
import java.io.Serializable;

/** One detected box in pixel corners with its confidence and class id. */
public record Detection(Corners box, double score, int classId) implements Serializable {

  /** A detection from corner coordinates. */
  public static Detection of(double x1, double y1, double x2, double y2, double score, int classId) {
    return new Detection(new Corners(x1, y1, x2, y2), score, classId);
  }

  /** The same box and class with another score (Soft-NMS lowers scores this way). */
  public Detection withScore(double newScore) {
    return new Detection(box, newScore, classId);
  }
}
