package dev.tessera.stages.detection.coco;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The result of a COCO evaluation: the 12 numbers of pycocotools' {@code summarize()} ({@link CocoMetric}), each
 * -1 where nothing could be measured (no ground truth in that area range), and AP per category.
 *
 * <p>As in pycocotools, a number is the mean over all categories that have ground truth in the area range (a
 * category with detections but no ground truth does not count), all IoU thresholds in the metric, and, for AP,
 * all 101 recall thresholds of the interpolated precision.
 */
public final class CocoSummary implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<CocoMetric, Double> values;
  private final Map<Integer, Double> categoryAp;
  private final Map<Integer, Double> categoryAp50;

  private CocoSummary(
      Map<CocoMetric, Double> values, Map<Integer, Double> categoryAp, Map<Integer, Double> categoryAp50) {
    this.values = Collections.unmodifiableMap(values);
    this.categoryAp = Collections.unmodifiableMap(categoryAp);
    this.categoryAp50 = Collections.unmodifiableMap(categoryAp50);
  }

  static CocoSummary of(Collection<CategoryTally> tallies) {
    Map<Integer, CategoryTally.Curves> curves = new TreeMap<>();
    for (CategoryTally t : tallies) {
      curves.put(t.categoryId, t.curves());
    }
    Map<CocoMetric, Double> values = new EnumMap<>(CocoMetric.class);
    for (CocoMetric metric : CocoMetric.values()) {
      values.put(metric, mean(curves.values(), metric));
    }
    Map<Integer, Double> ap = new TreeMap<>();
    Map<Integer, Double> ap50 = new TreeMap<>();
    curves.forEach((category, c) -> {
      if (c.precision()[CocoAreaRange.ALL.ordinal()] != null) {
        ap.put(category, mean(List.of(c), CocoMetric.AP));
        ap50.put(category, mean(List.of(c), CocoMetric.AP50));
      }
    });
    return new CocoSummary(values, ap, ap50);
  }

  /**
   * The mean of the metric's entries over the categories with ground truth in its area range, summed in the order
   * numpy flattens pycocotools' arrays ({@code [iou][recall][category]} for AP, {@code [iou][category]} for AR).
   */
  private static double mean(Collection<CategoryTally.Curves> curves, CocoMetric metric) {
    int a = metric.area().ordinal();
    int m = metric.maxDetectionsIndex();
    int from = metric.iouIndex() < 0 ? 0 : metric.iouIndex();
    int to = metric.iouIndex() < 0 ? CocoMatcher.THRESHOLDS : metric.iouIndex() + 1;
    List<CategoryTally.Curves> valid = curves.stream().filter(c -> c.recall()[a] != null).toList();
    int recalls = metric.isPrecision() ? CategoryTally.RECALL_THRESHOLDS.length : 1;
    double[] values = new double[(to - from) * recalls * valid.size()];
    int n = 0;
    for (int t = from; t < to; t++) {
      for (int r = 0; r < recalls; r++) {
        for (CategoryTally.Curves c : valid) {
          values[n++] = metric.isPrecision() ? c.precision()[a][m][t][r] : c.recall()[a][m][t];
        }
      }
    }
    return NumpyMean.of(values, n);
  }

  /** One of the 12 numbers. */
  public double get(CocoMetric metric) {
    return values.get(metric);
  }

  /** The 12 numbers in pycocotools' order ({@code COCOeval.stats}). */
  public double[] stats() {
    return values.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The 12 numbers by {@link CocoMetric#key()}, in pycocotools' order. */
  public Map<String, Double> byKey() {
    return values.entrySet().stream().collect(Collectors.toMap(
        e -> e.getKey().key(), Map.Entry::getValue, (x, y) -> x, LinkedHashMap::new));
  }

  /** AP@[.50:.95] (all areas, 100 detections) per category id, for categories with ground truth. */
  public Map<Integer, Double> categoryAp() {
    return categoryAp;
  }

  /** AP@.50 (all areas, 100 detections) per category id, for categories with ground truth. */
  public Map<Integer, Double> categoryAp50() {
    return categoryAp50;
  }

  /** The 12 lines pycocotools prints, newline-separated. */
  @Override
  public String toString() {
    return values.entrySet().stream().map(e -> e.getKey().summaryLine(e.getValue()))
        .collect(Collectors.joining("\n"));
  }
}
