package dev.tessera.stages.detection.voc;

import dev.tessera.stages.detection.boxes.OverlapMeasure;
import dev.tessera.stages.detection.nms.Detection;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mergeable state of a Pascal VOC evaluation at one IoU threshold: per class, every counted detection (hit or
 * false positive) and the number of non-difficult ground-truth boxes. Built per image ({@link #ofImage}), merged
 * in any order ({@link #addAll}), summarized at the end ({@link #summarize}).
 *
 * <p>Matching as in the VOC devkit: within an image, detections in order of descending score each take the
 * ground-truth box of their class they overlap most; above the threshold (strictly) that is a hit, unless the box
 * is difficult (then the detection is not counted) or already taken (a false positive, a duplicate). Overlap is
 * IoU on continuous pixel corners, without the devkit's legacy "+1" on widths. Each image must be added once.
 *
 * <pre>{@code
 * VocPartial total = VocPartial.empty(0.5);
 * total.addAll(VocPartial.ofImage(imageId, groundTruth, Nms.apply(raw, nmsSpec), 0.5));
 * VocSummary voc = total.summarize(VocAp.ALL_POINT);
 * }</pre>
 */
public final class VocPartial implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double iouThreshold;
  private final Map<Integer, ClassTally> classes = new TreeMap<>();

  private VocPartial(double iouThreshold) {
    if (!(iouThreshold >= 0 && iouThreshold < 1)) {
      throw new IllegalArgumentException("voc.iouThreshold must be in [0, 1), but was " + iouThreshold
          + ". Pascal VOC uses 0.5.");
    }
    this.iouThreshold = iouThreshold;
  }

  /** The state of no images, for detections matched at {@code iouThreshold} (VOC: 0.5). */
  public static VocPartial empty(double iouThreshold) {
    return new VocPartial(iouThreshold);
  }

  /** Evaluates one image's ground truth and detections. */
  public static VocPartial ofImage(long imageId, List<VocBox> groundTruth, List<Detection> detections,
      double iouThreshold) {
    VocPartial partial = new VocPartial(iouThreshold);
    for (VocBox g : groundTruth) {
      if (!g.difficult()) {
        partial.tally(g.classId()).positives++;
      }
    }
    List<Detection> sorted = new ArrayList<>(detections);
    sorted.sort(Comparator.comparingDouble(d -> -d.score())); // stable: ties keep input order
    boolean[] taken = new boolean[groundTruth.size()];
    for (int rank = 0; rank < sorted.size(); rank++) {
      Detection d = sorted.get(rank);
      double best = -1;
      int match = -1;
      for (int g = 0; g < groundTruth.size(); g++) {
        VocBox gt = groundTruth.get(g);
        double iou = gt.classId() == d.classId() ? OverlapMeasure.IOU.of(d.box(), gt.box()) : -1;
        if (iou > best) {
          best = iou;
          match = g;
        }
      }
      boolean hit = best > iouThreshold && !taken[match];
      if (best > iouThreshold && groundTruth.get(match).difficult()) {
        continue;
      }
      if (hit) {
        taken[match] = true;
      }
      partial.tally(d.classId()).add(d.score(), imageId, rank, hit);
    }
    return partial;
  }

  private ClassTally tally(int classId) {
    return classes.computeIfAbsent(classId, k -> new ClassTally());
  }

  /** Adds another partial result (of the same IoU threshold) into this one and returns this. */
  public VocPartial addAll(VocPartial other) {
    if (other.iouThreshold != iouThreshold) {
      throw new IllegalArgumentException("cannot merge VOC results at IoU " + other.iouThreshold + " into results"
          + " at IoU " + iouThreshold + ". Evaluate every image at the same threshold.");
    }
    other.classes.forEach((classId, t) -> tally(classId).addAll(t));
    return this;
  }

  /** AP per class (classes with at least one non-difficult box) and their mean, by {@code method}. */
  public VocSummary summarize(VocAp method) {
    Map<Integer, Double> ap = new TreeMap<>();
    classes.forEach((classId, t) -> {
      if (t.positives > 0) {
        ap.put(classId, t.ap(method));
      }
    });
    double mean = ap.values().stream().mapToDouble(Double::doubleValue).average().orElse(-1);
    return new VocSummary(ap, mean);
  }

  /**
   * The precision-recall points of class {@code classId}, one per counted detection in descending score order, as
   * {@code {recall, precision}}; empty arrays when the class has no detection or no non-difficult box.
   */
  public double[][] curve(int classId) {
    ClassTally t = classes.get(classId);
    return t == null || t.positives == 0 ? new double[][] {{}, {}} : t.curve();
  }

  /** One class's counted detections and its positives. */
  private static final class ClassTally implements Serializable {
    private static final long serialVersionUID = 1L;
    long positives;
    int size;
    double[] scores = new double[8];
    long[] imageIds = new long[8];
    int[] ranks = new int[8];
    boolean[] hits = new boolean[8];

    void add(double score, long imageId, int rank, boolean hit) {
      if (size == scores.length) {
        scores = Arrays.copyOf(scores, size * 2);
        imageIds = Arrays.copyOf(imageIds, size * 2);
        ranks = Arrays.copyOf(ranks, size * 2);
        hits = Arrays.copyOf(hits, size * 2);
      }
      scores[size] = score;
      imageIds[size] = imageId;
      ranks[size] = rank;
      hits[size] = hit;
      size++;
    }

    void addAll(ClassTally other) {
      positives += other.positives;
      for (int i = 0; i < other.size; i++) {
        add(other.scores[i], other.imageIds[i], other.ranks[i], other.hits[i]);
      }
    }

    double ap(VocAp method) {
      double[][] curve = curve();
      return method.of(curve[0], curve[1]);
    }

    double[][] curve() {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i])
          .thenComparingLong(i -> imageIds[i]).thenComparingInt(i -> ranks[i]));
      double[] recall = new double[size];
      double[] precision = new double[size];
      long tp = 0;
      for (int j = 0; j < size; j++) {
        tp += hits[order[j]] ? 1 : 0;
        recall[j] = (double) tp / positives;
        precision[j] = tp / Math.max(j + 1.0, Math.ulp(1.0));
      }
      return new double[][] {recall, precision};
    }
  }
}
