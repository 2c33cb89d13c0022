package dev.tessera.stages.detection.coco;

import java.io.Serializable;
import java.util.List;

/** One image's ground truth (file order) and detections (result order): the input of one evaluation step. */
public record ImageBoxes(long imageId, List<CocoAnnotation> groundTruth, List<CocoDetection> detections)
    implements Serializable {

  public ImageBoxes {
    groundTruth = List.copyOf(groundTruth);
    detections = List.copyOf(detections);
  }
}
