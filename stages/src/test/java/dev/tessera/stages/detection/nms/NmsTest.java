package dev.tessera.stages.detection.nms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-made cases with worked-out scores, and random cases against a plain reference written here. */
class NmsTest {
  // A and B overlap: intersection [1,10]x[1,10] = 81, union 100 + 100 - 81 = 119, IoU = 81/119 = 0.6807
  private static final Detection A = Detection.of(0, 0, 10, 10, 0.9, 0);
  private static final Detection B = Detection.of(1, 1, 11, 11, 0.8, 0);
  private static final Detection C = Detection.of(20, 20, 30, 30, 0.7, 0);
  private static final double IOU_AB = 81.0 / 119;

  @Test
  void hardNmsRemovesOverlapsAboveTheThreshold() {
    NmsSpec spec = NmsSpec.defaults().withIouThreshold(0.5);
    assertEquals(List.of(A, C), Nms.apply(List.of(C, B, A), spec));
    // at 0.7 the IoU of 0.68 is not above the threshold: all three stay, highest score first
    assertEquals(List.of(A, B, C), Nms.apply(List.of(C, B, A), spec.withIouThreshold(0.7)));
  }

  @Test
  void boxesOfOtherClassesDoNotSuppressUnlessClassAgnostic() {
    Detection otherClass = new Detection(B.box(), 0.8, 1);
    NmsSpec spec = NmsSpec.defaults().withIouThreshold(0.5);
    assertEquals(List.of(A, otherClass, C), Nms.apply(List.of(A, otherClass, C), spec));
    assertEquals(List.of(A, C), Nms.apply(List.of(A, otherClass, C), spec.withClassAgnostic(true)));
  }

  @Test
  void linearSoftNmsScalesOverlapsByOneMinusIou() {
    NmsSpec spec = NmsSpec.defaults().withSuppression(Suppression.LINEAR).withIouThreshold(0.5);
    // B: 0.8 * (1 - 81/119) = 0.8 * 38/119 = 0.255462; C does not overlap A or B and keeps 0.7
    List<Detection> out = Nms.apply(List.of(A, B, C), spec);
    assertEquals(List.of(A, C, B.withScore(0.8 * (1 - IOU_AB))), out);
    assertEquals(0.255462, out.get(2).score(), 1e-6);
    // a confidence threshold above 0.2555 drops the decayed B
    assertEquals(List.of(A, C), Nms.apply(List.of(A, B, C), spec.withScoreThreshold(0.3)));
    // below the IoU threshold nothing decays
    assertEquals(List.of(A, B, C), Nms.apply(List.of(A, B, C), spec.withIouThreshold(0.69)));
  }

  @Test
  void gaussianSoftNmsDecaysByExpOfMinusIouSquaredOverSigma() {
    NmsSpec spec = NmsSpec.defaults().withSuppression(Suppression.GAUSSIAN).withSigma(0.5);
    // B: 0.8 * exp(-(81/119)^2 / 0.5) = 0.8 * exp(-0.926630) = 0.316709; C: IoU 0, factor exp(0) = 1
    List<Detection> out = Nms.apply(List.of(A, B, C), spec);
    assertEquals(List.of(A, C, B.withScore(0.8 * Math.exp(-IOU_AB * IOU_AB / 0.5))), out);
    assertEquals(0.316709, out.get(2).score(), 1e-6);
  }

  @Test
  void confidenceThresholdAndMaxDetectionsApply() {
    Detection faint = Detection.of(50, 50, 60, 60, 0.0005, 0);
    assertEquals(List.of(A, C), Nms.apply(List.of(faint, A, B, C), NmsSpec.defaults().withIouThreshold(0.5)));
    NmsSpec keepAll = NmsSpec.defaults().withIouThreshold(0.7);
    assertEquals(List.of(A, B), Nms.apply(List.of(C, B, A), keepAll.withMaxDetections(2)));
    assertEquals(List.of(), Nms.apply(List.of(), NmsSpec.defaults()));
  }

  @Test
  void tiesInScoreKeepTheEarlierInput() {
    Detection first = Detection.of(0, 0, 10, 10, 0.5, 0);
    Detection second = Detection.of(0, 0, 10, 10, 0.5, 0);
    List<Detection> out = Nms.apply(List.of(first, second), NmsSpec.defaults());
    assertEquals(1, out.size());
    assertEquals(true, out.get(0) == first);
  }

  @Test
  void specRejectsOutOfRangeValuesNamingTheParameter() {
    NmsSpec d = NmsSpec.defaults();
    assertEquals("nms.iouThreshold must be in [0, 1], but was 1.5. Typical values are 0.45 to 0.7.",
        assertThrows(IllegalArgumentException.class, () -> d.withIouThreshold(1.5)).getMessage());
    assertEquals("nms.maxDetections must be positive, but was 0. COCO evaluation counts at most 100 per image;"
        + " 300 is common.", assertThrows(IllegalArgumentException.class, () -> d.withMaxDetections(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.withSigma(0));
    assertThrows(IllegalArgumentException.class, () -> d.withScoreThreshold(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> d.withSuppression(null));
  }

  @Test
  void randomCasesEqualAPlainReference() {
    Random random = new Random(2017);
    int compared = 0;
    for (int round = 0; round < 300; round++) {
      List<Detection> raw = randomDetections(random, 1 + random.nextInt(60));
      Suppression suppression = Suppression.values()[round % 3];
      NmsSpec spec = NmsSpec.defaults().withSuppression(suppression)
          .withIouThreshold(0.3 + 0.4 * random.nextDouble()).withSigma(0.3 + random.nextDouble())
          .withScoreThreshold(random.nextDouble() * 0.2).withMaxDetections(1 + random.nextInt(40))
          .withClassAgnostic(round % 7 == 0);
      List<Detection> expected = reference(raw, spec);
      List<Detection> actual = Nms.apply(raw, spec);
      assertEquals(expected.size(), actual.size(), "round " + round + " " + spec);
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i).box(), actual.get(i).box(), "round " + round + " #" + i);
        assertEquals(expected.get(i).classId(), actual.get(i).classId(), "round " + round + " #" + i);
        assertEquals(expected.get(i).score(), actual.get(i).score(), 1e-12, "round " + round + " #" + i);
      }
      compared += expected.size();
    }
    assertEquals(true, compared > 1000, "too few detections compared: " + compared);
  }

  /** Clusters of jittered boxes, so that suppression has work to do; a few exact score ties. */
  private static List<Detection> randomDetections(Random random, int n) {
    List<Detection> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double cx = 20 + 60 * (random.nextInt(4));
      double cy = 20 + 60 * (random.nextInt(3));
      double w = 10 + random.nextDouble() * 30;
      double h = 10 + random.nextDouble() * 30;
      cx += random.nextGaussian() * 5;
      cy += random.nextGaussian() * 5;
      double score = random.nextInt(10) == 0 ? 0.5 : random.nextDouble();
      out.add(Detection.of(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, random.nextInt(3)));
    }
    return out;
  }

  /**
   * Bodla et al.'s Algorithm 1 written out directly: scores in an array, a removed flag, repeated arg-max over
   * all boxes of all classes (a box only affects boxes of its own class unless class-agnostic).
   */
  private static List<Detection> reference(List<Detection> raw, NmsSpec spec) {
    int n = raw.size();
    double[] s = new double[n];
    boolean[] alive = new boolean[n];
    for (int i = 0; i < n; i++) {
      s[i] = raw.get(i).score();
      alive[i] = s[i] >= spec.scoreThreshold();
    }
    List<Detection> kept = new ArrayList<>();
    while (true) {
      int m = -1;
      for (int i = 0; i < n; i++) {
        if (alive[i] && (m < 0 || s[i] > s[m])) {
          m = i;
        }
      }
      if (m < 0) {
        break;
      }
      alive[m] = false;
      kept.add(raw.get(m).withScore(s[m]));
      for (int i = 0; i < n; i++) {
        if (!alive[i] || (!spec.classAgnostic() && raw.get(i).classId() != raw.get(m).classId())) {
          continue;
        }
        double iou = iou(raw.get(m), raw.get(i));
        double f = switch (spec.suppression()) {
          case HARD -> iou > spec.iouThreshold() ? 0 : 1;
          case LINEAR -> iou >= spec.iouThreshold() ? 1 - iou : 1;
          case GAUSSIAN -> Math.exp(-(iou * iou) / spec.sigma());
        };
        s[i] *= f;
        if (f == 0 || s[i] < spec.scoreThreshold()) {
          alive[i] = false;
        }
      }
    }
    // kept is in pick order; the result is sorted by final score, ties by input position
    List<Detection> sorted = new ArrayList<>(kept);
    sorted.sort((x, y) -> Double.compare(y.score(), x.score()) != 0
        ? Double.compare(y.score(), x.score()) : Integer.compare(indexOf(raw, x), indexOf(raw, y)));
    return sorted.subList(0, Math.min(sorted.size(), spec.maxDetections()));
  }

  private static int indexOf(List<Detection> raw, Detection d) {
    for (int i = 0; i < raw.size(); i++) {
      if (raw.get(i).box() == d.box()) {
        return i;
      }
    }
    throw new AssertionError("not from the input: " + d);
  }

  private static double iou(Detection a, Detection b) {
    double ix = Math.min(a.box().x2(), b.box().x2()) - Math.max(a.box().x1(), b.box().x1());
    double iy = Math.min(a.box().y2(), b.box().y2()) - Math.max(a.box().y1(), b.box().y1());
    double inter = ix > 0 && iy > 0 ? ix * iy : 0;
    double areaA = (a.box().x2() - a.box().x1()) * (a.box().y2() - a.box().y1());
    double areaB = (b.box().x2() - b.box().x1()) * (b.box().y2() - b.box().y1());
    return inter / (areaA + areaB - inter);
  }
}
