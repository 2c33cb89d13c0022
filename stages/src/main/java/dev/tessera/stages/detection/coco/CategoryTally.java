package dev.tessera.stages.detection.coco;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * One category's matched detections over any set of images, and its count of ground truth per area range: what
 * pycocotools' {@code accumulate} needs. Merging two tallies concatenates them; the order detections were added in
 * does not matter, because {@link #curves()} sorts them by (score descending, image id, rank within the image),
 * which is the order pycocotools' stable sort leaves them in.
 */
final class CategoryTally {
  static final int[] MAX_DETECTIONS = {1, 10, 100};
  static final double[] RECALL_THRESHOLDS = CocoMatcher.linspace(0, 1, 101);
  private static final double EPS = Math.ulp(1.0); // numpy.spacing(1)
  private static final int AREAS = CocoMatcher.AREAS;

  final int categoryId;
  private final long[] groundTruths = new long[AREAS];
  private int size;
  private double[] scores = new double[16];
  private long[] imageIds = new long[16];
  private int[] ranks = new int[16];
  private int[] flags = new int[16 * AREAS];

  CategoryTally(int categoryId) {
    this.categoryId = categoryId;
  }

  void addGroundTruths(int area, long count) {
    groundTruths[area] += count;
  }

  void addDetection(double score, long imageId, int rank, int[] areaFlags) {
    if (size == scores.length) {
      int capacity = size * 2;
      scores = Arrays.copyOf(scores, capacity);
      imageIds = Arrays.copyOf(imageIds, capacity);
      ranks = Arrays.copyOf(ranks, capacity);
      flags = Arrays.copyOf(flags, capacity * AREAS);
    }
    scores[size] = score;
    imageIds[size] = imageId;
    ranks[size] = rank;
    System.arraycopy(areaFlags, 0, flags, size * AREAS, AREAS);
    size++;
  }

  void addAll(CategoryTally other) {
    for (int a = 0; a < AREAS; a++) {
      groundTruths[a] += other.groundTruths[a];
    }
    int[] row = new int[AREAS];
    for (int i = 0; i < other.size; i++) {
      System.arraycopy(other.flags, i * AREAS, row, 0, AREAS);
      addDetection(other.scores[i], other.imageIds[i], other.ranks[i], row);
    }
  }

  /**
   * Precision at the 101 recall thresholds, {@code [area][maxDets][iou][recall]}, and recall,
   * {@code [area][maxDets][iou]}; an area range without ground truth has {@code null} rows (pycocotools' -1).
   */
  record Curves(double[][][][] precision, double[][][] recall) {}

  Curves curves() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> {
      int c = Double.compare(scores[y], scores[x]);
      if (c != 0) {
        return c;
      }
      c = Long.compare(imageIds[x], imageIds[y]);
      return c != 0 ? c : Integer.compare(ranks[x], ranks[y]);
    });
    double[][][][] precision = new double[AREAS][][][];
    double[][][] recall = new double[AREAS][][];
    for (int a = 0; a < AREAS; a++) {
      if (groundTruths[a] == 0) {
        continue;
      }
      precision[a] = new double[MAX_DETECTIONS.length][CocoMatcher.THRESHOLDS][];
      recall[a] = new double[MAX_DETECTIONS.length][CocoMatcher.THRESHOLDS];
      for (int m = 0; m < MAX_DETECTIONS.length; m++) {
        int limit = MAX_DETECTIONS[m];
        int[] kept = Arrays.stream(order).mapToInt(Integer::intValue).filter(i -> ranks[i] < limit).toArray();
        for (int t = 0; t < CocoMatcher.THRESHOLDS; t++) {
          precision[a][m][t] = new double[RECALL_THRESHOLDS.length];
          recall[a][m][t] = curve(kept, a, t, groundTruths[a], precision[a][m][t]);
        }
      }
    }
    return new Curves(precision, recall);
  }

  /** pycocotools' accumulate for one (area, maxDets, IoU): fills {@code q}, returns the final recall. */
  private double curve(int[] kept, int a, int t, long npig, double[] q) {
    int nd = kept.length;
    double[] rc = new double[nd];
    double[] pr = new double[nd];
    long tp = 0;
    long fp = 0;
    for (int j = 0; j < nd; j++) {
      int f = flags[kept[j] * AREAS + a];
      boolean matched = (f & (1 << t)) != 0;
      boolean ignored = (f & (1 << (CocoMatcher.IGNORED_SHIFT + t))) != 0;
      if (!ignored) {
        if (matched) {
          tp++;
        } else {
          fp++;
        }
      }
      rc[j] = (double) tp / npig;
      pr[j] = tp / (fp + tp + EPS);
    }
    for (int j = nd - 1; j > 0; j--) {
      if (pr[j] > pr[j - 1]) {
        pr[j - 1] = pr[j];
      }
    }
    int j = 0;
    for (int r = 0; r < RECALL_THRESHOLDS.length; r++) {
      while (j < nd && rc[j] < RECALL_THRESHOLDS[r]) {
        j++;
      }
      q[r] = j < nd ? pr[j] : 0;
    }
    return nd > 0 ? rc[nd - 1] : 0;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeInt(categoryId);
    for (long g : groundTruths) {
      out.writeLong(g);
    }
    out.writeInt(size);
    for (int i = 0; i < size; i++) {
      out.writeDouble(scores[i]);
      out.writeLong(imageIds[i]);
      out.writeInt(ranks[i]);
      for (int a = 0; a < AREAS; a++) {
        out.writeInt(flags[i * AREAS + a]);
      }
    }
  }

  static CategoryTally read(DataInputStream in) throws IOException {
    CategoryTally tally = new CategoryTally(in.readInt());
    for (int a = 0; a < AREAS; a++) {
      tally.groundTruths[a] = in.readLong();
    }
    int n = in.readInt();
    int[] row = new int[AREAS];
    for (int i = 0; i < n; i++) {
      double score = in.readDouble();
      long imageId = in.readLong();
      int rank = in.readInt();
      for (int a = 0; a < AREAS; a++) {
        row[a] = in.readInt();
      }
      tally.addDetection(score, imageId, rank, row);
    }
    return tally;
  }
}
