package dev.tessera.stages.detection.coco;

import dev.tessera.stages.detection.nms.Detection;
import dev.tessera.transforms.sample.Box;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** One image's ground truth (file order) and detections (result order): the input of one evaluation step. */
public record ImageBoxes(long imageId, List<CocoAnnotation> groundTruth, List<CocoDetection> detections)
    implements Serializable {

  public ImageBoxes {
    groundTruth = List.copyOf(groundTruth);
    detections = List.copyOf(detections);
  }

  /**
   * One sample's boxes in Tessera's own form: ground truth as sample {@link Box}es and detections as
   * post-processed {@link Detection}s, class ids serving as category ids. Areas are box areas, nothing is crowd,
   * annotation ids count from 1 within the image. {@code imageId} is any id unique per image (for example a
   * stable hash of the sample id); it also orders detections of equal score, as COCO image ids do.
   *
   * <pre>{@code
   * ImageBoxes image = ImageBoxes.of(imageId, sample.boxes(), Nms.apply(raw, NmsSpec.defaults()));
   * }</pre>
   */
  public static ImageBoxes of(long imageId, List<Box> truth, List<Detection> detections) {
    List<CocoAnnotation> gt = new ArrayList<>(truth.size());
    for (Box b : truth) {
      gt.add(CocoAnnotation.of(gt.size() + 1, imageId, b.classId(), b.x1(), b.y1(), b.width(), b.height()));
    }
    List<CocoDetection> dets = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      dets.add(CocoDetection.of(imageId, d.classId(), d));
    }
    return new ImageBoxes(imageId, gt, dets);
  }
}
