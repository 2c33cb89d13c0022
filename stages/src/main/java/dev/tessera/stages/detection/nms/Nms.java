package dev.tessera.stages.detection.nms;

import dev.tessera.stages.detection.boxes.OverlapMeasure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one image's raw detections into its final ones: drops those below the confidence threshold, suppresses
 * overlaps class by class (or across classes when {@link NmsSpec#classAgnostic()}), and keeps the highest-scoring
 * {@link NmsSpec#maxDetections()}.
 *
 * <p>Greedy, as in Bodla et al. 2017, Algorithm 1: the highest-scoring remaining box is kept, and every other
 * remaining box of its class has its score multiplied by {@link Suppression}'s decay of their IoU (0 for hard
 * NMS); a box whose score falls below the confidence threshold is dropped. Ties in score go to the box that came
 * first in the input. Output: sorted by score, highest first (ties in input order), with Soft-NMS's decayed
 * scores. Deterministic; the input list is not changed.
 *
 * <pre>{@code
 * List<Detection> kept = Nms.apply(raw, NmsSpec.defaults().withSuppression(Suppression.GAUSSIAN));
 * }</pre>
 */
public final class Nms {
  private Nms() {}

  /** The detections that survive {@code spec}, highest score first. */
  public static List<Detection> apply(List<Detection> detections, NmsSpec spec) {
    Map<Integer, List<Ranked>> groups = new LinkedHashMap<>();
    for (int i = 0; i < detections.size(); i++) {
      Detection d = detections.get(i);
      if (d.score() >= spec.scoreThreshold()) {
        int key = spec.classAgnostic() ? 0 : d.classId();
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(new Ranked(d, i));
      }
    }
    List<Ranked> kept = new ArrayList<>();
    for (List<Ranked> group : groups.values()) {
      suppress(group, spec, kept);
    }
    kept.sort(Ranked.ORDER);
    List<Detection> out = new ArrayList<>(Math.min(kept.size(), spec.maxDetections()));
    for (int i = 0; i < kept.size() && i < spec.maxDetections(); i++) {
      out.add(kept.get(i).detection);
    }
    return out;
  }

  /**
   * One group's greedy pass. Hard NMS never changes a score, so the sorted order holds and the next box is always
   * the first remaining one; Soft-NMS lowers scores, so there the next box is found by a scan.
   */
  private static void suppress(List<Ranked> group, NmsSpec spec, List<Ranked> kept) {
    List<Ranked> remaining = new ArrayList<>(group);
    remaining.sort(Ranked.ORDER);
    boolean rescan = spec.suppression() != Suppression.HARD;
    while (!remaining.isEmpty()) {
      int best = 0;
      for (int i = 1; rescan && i < remaining.size(); i++) {
        if (Ranked.ORDER.compare(remaining.get(i), remaining.get(best)) < 0) {
          best = i;
        }
      }
      Ranked top = remaining.remove(best);
      kept.add(top);
      List<Ranked> next = new ArrayList<>(remaining.size());
      for (Ranked r : remaining) {
        double factor = spec.suppression().decay(OverlapMeasure.IOU.of(top.detection.box(), r.detection.box()), spec);
        double score = r.detection.score() * factor;
        if (factor == 1) {
          next.add(r);
        } else if (factor > 0 && score >= spec.scoreThreshold()) {
          next.add(new Ranked(r.detection.withScore(score), r.index));
        }
      }
      remaining = next;
    }
  }

  /** A detection and its position in the input, which breaks ties in score. */
  private record Ranked(Detection detection, int index) {
    static final Comparator<Ranked> ORDER =
        Comparator.comparingDouble((Ranked r) -> -r.detection.score()).thenComparingInt(r -> r.index);
  }
}
