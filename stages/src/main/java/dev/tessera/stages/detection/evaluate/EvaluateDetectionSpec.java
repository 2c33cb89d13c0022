package dev.tessera.stages.detection.evaluate;

import dev.tessera.pipelines.dag.StageSpec;
import dev.tessera.stages.detection.nms.NmsSpec;

/**
 * Settings of {@link EvaluateDetection}.
 *
 * @param split the split of the original images to evaluate on, such as {@code test}
 * @param nms post-processing of the raw boxes (confidence 0.001 and IoU 0.45 for evaluation, as YOLO does)
 * @param gridImages how many images the PNG grid of predicted and true boxes shows, 0..64 (0 = no grid)
 * @param drawScore the lowest score of a predicted box drawn on the grid, in [0, 1]
 */
public record EvaluateDetectionSpec(String split, NmsSpec nms, int gridImages, double drawScore)
    implements StageSpec {
  /** The stage kind. */
  public static final String KIND = "evaluate-detection";

  public EvaluateDetectionSpec {
    if (split == null || split.isBlank()) {
      throw new IllegalArgumentException("evaluate-detection.split must name a split such as \"test\", but was '"
          + split + "'.");
    }
    if (nms == null) {
      throw new IllegalArgumentException("evaluate-detection.nms must be set (NmsSpec.defaults()), but was null.");
    }
    if (gridImages < 0 || gridImages > 64) {
      throw new IllegalArgumentException("evaluate-detection.gridImages must be in 0..64, but was " + gridImages
          + ".");
    }
    if (!(drawScore >= 0 && drawScore <= 1)) {
      throw new IllegalArgumentException("evaluate-detection.drawScore must be in [0, 1], but was " + drawScore
          + ".");
    }
  }

  /** The {@code test} split, YOLO's evaluation NMS, a 16-image grid drawing boxes scored 0.25 and more. */
  public static EvaluateDetectionSpec defaults() {
    return new EvaluateDetectionSpec("test", NmsSpec.defaults(), 16, 0.25);
  }

  public EvaluateDetectionSpec withSplit(String value) {
    return new EvaluateDetectionSpec(value, nms, gridImages, drawScore);
  }
}
