package dev.tessera.stages.detection.coco;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * pycocotools' {@code evaluateImg} for one image and one category: which detections match which ground truth at
 * each IoU threshold and area range, and which are ignored.
 */
final class CocoMatcher {
  /** 0.50, 0.55, ..., 0.95, computed as numpy's {@code linspace} does, so ties at a threshold agree. */
  static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
  static final int THRESHOLDS = IOU_THRESHOLDS.length;
  static final int AREAS = CocoAreaRange.values().length;
  static final int IGNORED_SHIFT = 16;

  private CocoMatcher() {}

  static double[] linspace(double start, double stop, int num) {
    double step = (stop - start) / (num - 1);
    double[] out = new double[num];
    for (int i = 0; i < num; i++) {
      out[i] = i * step + start;
    }
    out[num - 1] = stop;
    return out;
  }

  /**
   * Matches one image's boxes of one category and adds the outcome to {@code tally}. {@code gts} in file order,
   * {@code dets} in result-file order; only the 100 highest-scoring detections take part.
   */
  static void match(long imageId, List<CocoAnnotation> gts, List<CocoDetection> dets, CategoryTally tally) {
    if (gts.isEmpty() && dets.isEmpty()) {
      return;
    }
    List<CocoDetection> dt = new ArrayList<>(dets);
    dt.sort(Comparator.comparingDouble(d -> -d.score())); // stable, like numpy's mergesort
    if (dt.size() > CategoryTally.MAX_DETECTIONS[CategoryTally.MAX_DETECTIONS.length - 1]) {
      dt = dt.subList(0, CategoryTally.MAX_DETECTIONS[CategoryTally.MAX_DETECTIONS.length - 1]);
    }
    int nd = dt.size();
    int ng = gts.size();
    double[][] ious = new double[nd][ng];
    for (int d = 0; d < nd; d++) {
      for (int g = 0; g < ng; g++) {
        ious[d][g] = iou(dt.get(d), gts.get(g));
      }
    }
    int[][] flags = new int[nd][AREAS];
    for (CocoAreaRange area : CocoAreaRange.values()) {
      int a = area.ordinal();
      boolean[] ignore = new boolean[ng];
      int[] order = new int[ng];
      int k = 0;
      for (int g = 0; g < ng; g++) {
        CocoAnnotation gt = gts.get(g);
        ignore[g] = gt.crowd() || area.excludes(gt.area());
        if (!ignore[g]) {
          order[k++] = g;
        }
      }
      tally.addGroundTruths(a, k);
      for (int g = 0; g < ng; g++) {
        if (ignore[g]) {
          order[k++] = g;
        }
      }
      for (int t = 0; t < THRESHOLDS; t++) {
        boolean[] taken = new boolean[ng];
        for (int d = 0; d < nd; d++) {
          double best = Math.min(IOU_THRESHOLDS[t], 1 - 1e-10);
          int m = -1;
          for (int g : order) {
            if (taken[g] && !gts.get(g).crowd()) {
              continue;
            }
            if (m > -1 && !ignore[m] && ignore[g]) {
              break;
            }
            if (ious[d][g] < best) {
              continue;
            }
            best = ious[d][g];
            m = g;
          }
          if (m > -1) {
            taken[m] = true;
            flags[d][a] |= 1 << t;
            if (ignore[m]) {
              flags[d][a] |= 1 << (IGNORED_SHIFT + t);
            }
          } else if (area.excludes(dt.get(d).area())) {
            flags[d][a] |= 1 << (IGNORED_SHIFT + t);
          }
        }
      }
    }
    for (int d = 0; d < nd; d++) {
      tally.addDetection(dt.get(d).score(), imageId, d, flags[d]);
    }
  }

  /** pycocotools' {@code bbIou}: doubles, same operation order; a crowd region divides by the detection's area. */
  static double iou(CocoDetection d, CocoAnnotation g) {
    double w = Math.min(d.width() + d.x(), g.width() + g.x()) - Math.max(d.x(), g.x());
    if (w <= 0) {
      return 0;
    }
    double h = Math.min(d.height() + d.y(), g.height() + g.y()) - Math.max(d.y(), g.y());
    if (h <= 0) {
      return 0;
    }
    double i = w * h;
    double da = d.width() * d.height();
    double u = g.crowd() ? da : da + g.width() * g.height() - i;
    return i / u;
  }
}
