package dev.tessera.stages.detection.model;

import java.io.Serializable;
import java.util.List;

/**
 * The shape of a {@link YoloNet}: classes, width and depth multipliers, and the anchors of its three output scales
 * (strides 8, 16 and 32, smallest anchors on the finest scale).
 *
 * @param classes the number of object classes, >= 1
 * @param width the channel multiplier, in (0, 2]: 1.0 is YOLOv5-l-like (64..1024 channels), 0.25 YOLOv5-n-like
 * @param depth the depth multiplier, in (0, 2]: scales the bottlenecks per CSP block (at least one each)
 * @param anchors three lists, one per stride in {@link #STRIDES}, each with the same number (>= 1) of anchors
 */
public record YoloConfig(int classes, double width, double depth, List<List<AnchorBox>> anchors)
    implements Serializable {
  /** The output strides, finest first. */
  public static final List<Integer> STRIDES = List.of(8, 16, 32);

  public YoloConfig {
    if (classes < 1) {
      throw new IllegalArgumentException("detector.classes must be >= 1, but was " + classes + ".");
    }
    if (!(width > 0 && width <= 2)) {
      throw new IllegalArgumentException("detector.width must be in (0, 2] (0.25 for a tiny CPU model), but was "
          + width + ".");
    }
    if (!(depth > 0 && depth <= 2)) {
      throw new IllegalArgumentException("detector.depth must be in (0, 2] (0.33 for a tiny CPU model), but was "
          + depth + ".");
    }
    if (!evenAnchors(anchors)) {
      throw new IllegalArgumentException("detector.anchors must hold " + STRIDES.size() + " lists (strides "
          + STRIDES + ") of the same non-zero length, but was " + anchors + ". Estimate them with AnchorKMeans.");
    }
    anchors = anchors.stream().map(List::copyOf).toList();
  }

  private static boolean evenAnchors(List<List<AnchorBox>> anchors) {
    return anchors != null && anchors.size() == STRIDES.size() && !anchors.get(0).isEmpty()
        && anchors.stream().allMatch(a -> a != null && a.size() == anchors.get(0).size());
  }

  /** Anchors per cell on each scale. */
  public int anchorsPerScale() {
    return anchors.get(0).size();
  }

  /** Values per anchor in the raw output: 4 box, 1 objectness, then one per class. */
  public int outputsPerAnchor() {
    return 5 + classes;
  }

  /** Channels of level {@code i} (0..4, stem to deepest) after the width multiplier, a multiple of 8. */
  public int channels(int level) {
    int base = 64 << level;
    return Math.max(8, (int) Math.round(base * width / 8) * 8);
  }

  /** Bottlenecks in a CSP block whose YOLOv5-l count is {@code base}, after the depth multiplier. */
  public int repeats(int base) {
    return Math.max(1, (int) Math.round(base * depth));
  }
}
