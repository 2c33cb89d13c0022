package dev.tessera.stages.detection.coco;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The 12 numbers of pycocotools' {@code COCOeval.summarize()}, in its order, each with a stable key for JSON and
 * metric names: {@code AP@[.50:.95]|all|100}, {@code AP@.50|all|100}, {@code AP@.75|all|100},
 * {@code AP@[.50:.95]|small|100}, {@code AP@[.50:.95]|medium|100}, {@code AP@[.50:.95]|large|100},
 * {@code AR@[.50:.95]|all|1}, {@code AR@[.50:.95]|all|10}, {@code AR@[.50:.95]|all|100},
 * {@code AR@[.50:.95]|small|100}, {@code AR@[.50:.95]|medium|100}, {@code AR@[.50:.95]|large|100}: kind (AP or
 * AR), IoU threshold or range, area range, detections per image.
 */
public enum CocoMetric {
  AP(true, -1, CocoAreaRange.ALL, 2),
  AP50(true, 0, CocoAreaRange.ALL, 2),
  AP75(true, 5, CocoAreaRange.ALL, 2),
  AP_SMALL(true, -1, CocoAreaRange.SMALL, 2),
  AP_MEDIUM(true, -1, CocoAreaRange.MEDIUM, 2),
  AP_LARGE(true, -1, CocoAreaRange.LARGE, 2),
  AR1(false, -1, CocoAreaRange.ALL, 0),
  AR10(false, -1, CocoAreaRange.ALL, 1),
  AR100(false, -1, CocoAreaRange.ALL, 2),
  AR_SMALL(false, -1, CocoAreaRange.SMALL, 2),
  AR_MEDIUM(false, -1, CocoAreaRange.MEDIUM, 2),
  AR_LARGE(false, -1, CocoAreaRange.LARGE, 2);

  private final boolean precision;
  private final int iouIndex;
  private final CocoAreaRange area;
  private final int maxDetectionsIndex;

  CocoMetric(boolean precision, int iouIndex, CocoAreaRange area, int maxDetectionsIndex) {
    this.precision = precision;
    this.iouIndex = iouIndex;
    this.area = area;
    this.maxDetectionsIndex = maxDetectionsIndex;
  }

  /** True for average precision, false for average recall. */
  public boolean isPrecision() {
    return precision;
  }

  /** Index into {@link CocoMatcher#IOU_THRESHOLDS}, or -1 for the mean over all ten. */
  int iouIndex() {
    return iouIndex;
  }

  public CocoAreaRange area() {
    return area;
  }

  /** Detections per image counted: 1, 10 or 100. */
  public int maxDetections() {
    return CategoryTally.MAX_DETECTIONS[maxDetectionsIndex];
  }

  int maxDetectionsIndex() {
    return maxDetectionsIndex;
  }

  /** The stable key, e.g. {@code AP@[.50:.95]|all|100} or {@code AP@.50|all|100}. */
  public String key() {
    String iou = iouIndex < 0 ? "[.50:.95]" : iouIndex == 0 ? ".50" : ".75";
    return (precision ? "AP@" : "AR@") + iou + "|" + area.label() + "|" + maxDetections();
  }

  /**
   * The line pycocotools prints for this number, e.g. {@code " Average Precision  (AP) @[ IoU=0.50:0.95 | ...}.
   * The value is rounded as Python rounds it: the exact binary value, half to even (0.38749999999999996 prints
   * as 0.387, where {@code String.format} would print 0.388).
   */
  public String summaryLine(double value) {
    String iou = iouIndex < 0 ? "0.50:0.95" : iouIndex == 0 ? "0.50" : "0.75";
    String rounded = new BigDecimal(value).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
    return String.format(Locale.ROOT, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %s",
        precision ? "Average Precision" : "Average Recall", precision ? "(AP)" : "(AR)", iou, area.label(),
        maxDetections(), rounded);
  }
}
