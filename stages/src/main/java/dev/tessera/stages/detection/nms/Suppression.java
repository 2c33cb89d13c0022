package dev.tessera.stages.detection.nms;

/**
 * How a kept box treats the remaining boxes it overlaps: removes them (classic NMS) or lowers their scores
 * (Soft-NMS, Bodla et al. 2017, "Improving Object Detection With One Line of Code").
 */
public enum Suppression {
  /** Removes every box whose IoU with a kept box is above the IoU threshold. */
  HARD {
    @Override
    double decay(double iou, NmsSpec spec) {
      return iou > spec.iouThreshold() ? 0 : 1;
    }
  },
  /** Multiplies a box's score by {@code 1 - IoU} when the IoU is at least the IoU threshold. */
  LINEAR {
    @Override
    double decay(double iou, NmsSpec spec) {
      return iou >= spec.iouThreshold() ? 1 - iou : 1;
    }
  },
  /** Multiplies every remaining box's score by {@code exp(-IoU^2 / sigma)}; the IoU threshold is unused. */
  GAUSSIAN {
    @Override
    double decay(double iou, NmsSpec spec) {
      return Math.exp(-iou * iou / spec.sigma());
    }
  };

  /** The factor a remaining box's score is multiplied by, given its IoU with the box just kept. */
  abstract double decay(double iou, NmsSpec spec);
}
