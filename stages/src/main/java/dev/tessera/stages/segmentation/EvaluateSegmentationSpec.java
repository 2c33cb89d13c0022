package dev.tessera.stages.segmentation;

import dev.tessera.pipelines.dag.StageSpec;

/**
 * Settings of {@link EvaluateSegmentation}.
 *
 * @param split the dataset split to evaluate on, such as {@code val}; every sample needs a ground-truth mask
 * @param overlayImages how many of the split's images (the first by id) the overlay PNG shows, in [0, 64]; 0 for
 *     no overlay
 */
public record EvaluateSegmentationSpec(String split, int overlayImages) implements StageSpec {
  /** The stage kind this spec configures. */
  public static final String KIND = "evaluate-segmentation";

  public EvaluateSegmentationSpec {
    if (split == null || split.isBlank()) {
      throw new IllegalArgumentException("evaluate-segmentation.split must name a dataset split such as 'val', but "
          + "was '" + split + "'");
    }
    if (overlayImages < 0 || overlayImages > 64) {
      throw new IllegalArgumentException("evaluate-segmentation.overlayImages must be in [0, 64] (0: no overlay), "
          + "but was " + overlayImages);
    }
  }

  /** Split {@code val}, an overlay of up to 6 images. */
  public static EvaluateSegmentationSpec defaults() {
    return new EvaluateSegmentationSpec("val", 6);
  }

  public EvaluateSegmentationSpec withSplit(String newSplit) {
    return new EvaluateSegmentationSpec(newSplit, overlayImages);
  }

  public EvaluateSegmentationSpec withOverlayImages(int count) {
    return new EvaluateSegmentationSpec(split, count);
  }
}
