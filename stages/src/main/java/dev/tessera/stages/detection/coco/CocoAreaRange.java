package dev.tessera.stages.detection.coco;

/**
 * COCO's object size ranges in square pixels, both ends inclusive as in pycocotools (an area of exactly
 * {@code 32^2} is small and medium).
 */
public enum CocoAreaRange {
  ALL("all", 0, 1e10),
  SMALL("small", 0, 32 * 32),
  MEDIUM("medium", 32 * 32, 96 * 96),
  LARGE("large", 96 * 96, 1e10);

  private final String label;
  private final double min;
  private final double max;

  CocoAreaRange(String label, double min, double max) {
    this.label = label;
    this.min = min;
    this.max = max;
  }

  /** The name pycocotools prints: all, small, medium, large. */
  public String label() {
    return label;
  }

  /** True when an area lies outside {@code [min, max]}. */
  public boolean excludes(double area) {
    return area < min || area > max;
  }
}
