package dev.tessera.stages.detection.train;

import java.io.Serializable;

/**
 * The gains of the detector's loss parts (YOLOv5's defaults: box 0.05, objectness 1.0, classes 0.5) and the
 * anchor-matching ratio of {@link LabelAssigner}.
 *
 * @param box the CIoU box loss gain, >= 0
 * @param objectness the objectness BCE gain, > 0
 * @param classes the class BCE gain, >= 0
 * @param anchorRatio the largest box-to-anchor side ratio that matches, > 1 (4.0 in YOLOv5)
 */
public record LossWeights(double box, double objectness, double classes, double anchorRatio) implements Serializable {
  /** Per-scale objectness balance, finest first: small grids have fewer cells, so each counts less. */
  static final double[] BALANCE = {4.0, 1.0, 0.4};

  public LossWeights {
    if (!(box >= 0) || !(classes >= 0) || !(objectness > 0)) {
      throw new IllegalArgumentException("detector loss gains must be finite with box >= 0, objectness > 0, "
          + "classes >= 0, but were box " + box + ", objectness " + objectness + ", classes " + classes
          + ". YOLOv5 uses 0.05, 1.0, 0.5.");
    }
    if (!(anchorRatio > 1)) {
      throw new IllegalArgumentException("detector anchorRatio must be > 1, but was " + anchorRatio
          + ". YOLOv5 uses 4.0.");
    }
  }

  /** YOLOv5's gains: box 0.05, objectness 1.0, classes 0.5, anchor ratio 4.0. */
  public static LossWeights defaults() {
    return new LossWeights(0.05, 1.0, 0.5, 4.0);
  }
}
