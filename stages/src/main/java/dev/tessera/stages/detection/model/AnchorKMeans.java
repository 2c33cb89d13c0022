package dev.tessera.stages.detection.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Anchor sizes from training boxes by k-means with the distance {@code 1 - IoU} of boxes sharing a centre
 * (YOLOv2, Redmon and Farhadi 2017; YOLOv3 splits the sorted anchors over its scales). Plain Euclidean k-means on
 * widths and heights would let large boxes dominate; IoU makes the error relative to box size.
 *
 * <p>Seeding is k-means++ (each next centre drawn with probability proportional to its distance), then Lloyd
 * iterations where each centre moves to the median width and height of its members (more robust than the mean to
 * odd boxes) until no assignment changes. One seeding can end in a poor local optimum (two centres in one cluster),
 * so {@value #RESTARTS} seedings run and the set with the highest mean best IoU wins. Deterministic for a given seed
 * and input order.
 *
 * <pre>{@code
 * List<List<AnchorBox>> anchors = AnchorKMeans.perScale(sizes, 3, 42); // 9 anchors, 3 per stride
 * }</pre>
 */
public final class AnchorKMeans {
  private static final int MAX_ITERATIONS = 300;
  private static final int RESTARTS = 10;

  private AnchorKMeans() {}

  /**
   * {@code k} anchors from box sizes {@code {width, height}} in pixels, sorted by area (smallest first).
   *
   * @throws IllegalArgumentException when there are fewer distinct boxes than {@code k}
   */
  public static List<AnchorBox> fit(List<double[]> sizes, int k, long seed) {
    if (k < 1) {
      throw new IllegalArgumentException("anchors k must be >= 1, but was " + k + ".");
    }
    List<double[]> boxes = sizes.stream().filter(s -> s[0] > 0 && s[1] > 0).toList();
    if (boxes.size() < k) {
      throw new IllegalArgumentException("k-means needs at least " + k + " boxes of positive size for " + k
          + " anchors, but got " + boxes.size() + ". Use fewer anchors or more training data.");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<AnchorBox> best = null;
    double bestScore = -1;
    for (int restart = 0; restart < RESTARTS; restart++) {
      List<AnchorBox> anchors = lloyd(boxes, k, random.split());
      double score = meanBestIou(boxes, anchors);
      if (score > bestScore + 1e-12) {
        best = anchors;
        bestScore = score;
      }
    }
    return best;
  }

  private static List<AnchorBox> lloyd(List<double[]> boxes, int k, SplittableRandom random) {
    List<double[]> centres = new ArrayList<>();
    centres.add(boxes.get(random.nextInt(boxes.size())).clone());
    double[] distance = new double[boxes.size()];
    while (centres.size() < k) {
      double total = 0;
      for (int i = 0; i < boxes.size(); i++) {
        distance[i] = 1 - bestIou(boxes.get(i), centres)[1];
        total += distance[i];
      }
      double pick = random.nextDouble() * total;
      int chosen = boxes.size() - 1;
      for (int i = 0; i < boxes.size(); i++) {
        pick -= distance[i];
        if (pick < 0) {
          chosen = i;
          break;
        }
      }
      centres.add(boxes.get(chosen).clone());
    }
    int[] members = new int[boxes.size()];
    java.util.Arrays.fill(members, -1);
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      boolean changed = false;
      for (int i = 0; i < boxes.size(); i++) {
        int best = (int) bestIou(boxes.get(i), centres)[0];
        changed |= best != members[i];
        members[i] = best;
      }
      if (!changed) {
        break;
      }
      for (int c = 0; c < k; c++) {
        List<Double> widths = new ArrayList<>();
        List<Double> heights = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
          if (members[i] == c) {
            widths.add(boxes.get(i)[0]);
            heights.add(boxes.get(i)[1]);
          }
        }
        if (!widths.isEmpty()) {
          centres.set(c, new double[] {median(widths), median(heights)});
        }
      }
    }
    return centres.stream().map(c -> new AnchorBox(c[0], c[1]))
        .sorted(Comparator.comparingDouble((AnchorBox a) -> a.width() * a.height())).toList();
  }

  /** {@code 3 * perScale} anchors by {@link #fit}, split smallest to largest over the strides 8, 16 and 32. */
  public static List<List<AnchorBox>> perScale(List<double[]> sizes, int perScale, long seed) {
    List<AnchorBox> all = fit(sizes, perScale * YoloConfig.STRIDES.size(), seed);
    List<List<AnchorBox>> out = new ArrayList<>();
    for (int s = 0; s < YoloConfig.STRIDES.size(); s++) {
      out.add(all.subList(s * perScale, (s + 1) * perScale));
    }
    return out;
  }

  /** The mean over boxes of the best centred IoU with any anchor (YOLOv2's "Avg IoU" of an anchor set). */
  public static double meanBestIou(List<double[]> sizes, List<AnchorBox> anchors) {
    List<double[]> centres = anchors.stream().map(a -> new double[] {a.width(), a.height()}).toList();
    return sizes.stream().mapToDouble(s -> bestIou(s, centres)[1]).average().orElse(0);
  }

  /** {index, iou} of the centre with the highest centred IoU (first on ties). */
  private static double[] bestIou(double[] box, List<double[]> centres) {
    int best = 0;
    double bestIou = -1;
    for (int c = 0; c < centres.size(); c++) {
      double iou = new AnchorBox(centres.get(c)[0], centres.get(c)[1]).centredIou(box[0], box[1]);
      if (iou > bestIou) {
        bestIou = iou;
        best = c;
      }
    }
    return new double[] {best, bestIou};
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
