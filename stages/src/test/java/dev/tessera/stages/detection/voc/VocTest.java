package dev.tessera.stages.detection.voc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.stages.detection.boxes.Corners;
import dev.tessera.stages.detection.nms.Detection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** VOC AP on worked-out curves and images, and on random images against a devkit-style loop written here. */
class VocTest {
  // hit, false positive, hit over two positives: recall 0.5, 0.5, 1; precision 1, 1/2, 2/3
  private static final double[] RECALL = {0.5, 0.5, 1.0};
  private static final double[] PRECISION = {1, 0.5, 2.0 / 3};

  @Test
  void allPointIsTheAreaUnderTheMonotoneCurve() {
    // envelope: 1 up to recall 0.5, then 2/3 up to recall 1: area 0.5 * 1 + 0.5 * 2/3 = 5/6
    assertEquals(5.0 / 6, VocAp.ALL_POINT.of(RECALL, PRECISION), 1e-12);
    assertEquals(0, VocAp.ALL_POINT.of(new double[0], new double[0]), 0);
  }

  @Test
  void elevenPointAveragesTheBestPrecisionAtEachTenthOfRecall() {
    // recall 0.0 ... 0.5 (6 points): best precision 1; 0.6 ... 1.0 (5 points): 2/3. (6 + 5 * 2/3) / 11 = 28/33
    assertEquals(28.0 / 33, VocAp.ELEVEN_POINT.of(RECALL, PRECISION), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> VocAp.ELEVEN_POINT.of(new double[2], new double[1]));
  }

  @Test
  void imagesGiveTheCurveOfTheirDetectionsInScoreOrder() {
    VocPartial total = VocPartial.ofImage(1, List.of(box(0, 0, 10, 10, 0, false)),
        List.of(Detection.of(0, 0, 10, 10, 0.9, 0)), 0.5);
    // image 2: a miss at 0.8 then the hit at 0.7: the curve above, AP 5/6 and 28/33
    total.addAll(VocPartial.ofImage(2, List.of(box(0, 0, 10, 10, 0, false)),
        List.of(Detection.of(50, 50, 60, 60, 0.8, 0), Detection.of(1, 0, 10, 10, 0.7, 0)), 0.5));
    assertEquals(List.of(0), List.copyOf(total.summarize(VocAp.ALL_POINT).classAp().keySet()));
    assertEquals(5.0 / 6, total.summarize(VocAp.ALL_POINT).classAp().get(0), 1e-12);
    assertEquals(28.0 / 33, total.summarize(VocAp.ELEVEN_POINT).meanAp(), 1e-12);
  }

  @Test
  void difficultBoxesAndDuplicatesFollowTheDevkit() {
    // a detection on a difficult box is not counted; a second detection of a taken box is a false positive;
    // class 1 has only a difficult box, so it has no AP and no place in the mean
    List<VocBox> gt =
        List.of(box(0, 0, 10, 10, 0, false), box(20, 20, 30, 30, 0, true), box(40, 0, 50, 9, 1, true));
    List<Detection> dets = List.of(Detection.of(20, 20, 30, 30, 0.95, 0), Detection.of(0, 0, 10, 10, 0.9, 0),
        Detection.of(0, 1, 10, 10, 0.6, 0), Detection.of(40, 0, 50, 9, 0.5, 1));
    VocSummary s = VocPartial.ofImage(1, gt, dets, 0.5).summarize(VocAp.ALL_POINT);
    // class 0: hit (r 1, p 1), duplicate (r 1, p 1/2): AP 1
    assertEquals(Map.of(0, 1.0), s.classAp());
    assertEquals(1, s.meanAp(), 0);
    assertEquals(-1, VocPartial.empty(0.5).summarize(VocAp.ALL_POINT).meanAp());
  }

  @Test
  void mergingRejectsAnotherThreshold() {
    assertThrows(IllegalArgumentException.class, () -> VocPartial.empty(0.5).addAll(VocPartial.empty(0.7)));
    assertThrows(IllegalArgumentException.class, () -> VocPartial.empty(1.5));
  }

  @Test
  void randomImagesMergedInAnyOrderEqualADevkitStyleLoop() {
    Random random = new Random(2007);
    for (int round = 0; round < 30; round++) {
      List<List<VocBox>> gts = new ArrayList<>();
      List<List<Detection>> dets = new ArrayList<>();
      for (int image = 0; image < 12; image++) {
        List<VocBox> g = new ArrayList<>();
        List<Detection> d = new ArrayList<>();
        for (int k = random.nextInt(5); k > 0; k--) {
          double x = random.nextDouble() * 100;
          double y = random.nextDouble() * 100;
          int cls = random.nextInt(3);
          g.add(box(x, y, x + 10 + random.nextDouble() * 20, y + 10 + random.nextDouble() * 20, cls,
              random.nextInt(8) == 0));
          for (int c = random.nextInt(3); c > 0; c--) {
            d.add(Detection.of(x + random.nextGaussian() * 3, y + random.nextGaussian() * 3,
                x + 10 + random.nextDouble() * 20, y + 10 + random.nextDouble() * 20, random.nextDouble(), cls));
          }
        }
        for (int k = random.nextInt(3); k > 0; k--) {
          double x = random.nextDouble() * 100;
          d.add(Detection.of(x, x, x + 15, x + 15, random.nextDouble(), random.nextInt(3)));
        }
        gts.add(g);
        dets.add(d);
      }
      for (VocAp method : VocAp.values()) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < gts.size(); i++) {
          order.add(i);
        }
        Collections.shuffle(order, random);
        VocPartial total = VocPartial.empty(0.5);
        for (int i : order) {
          total.addAll(VocPartial.ofImage(i, gts.get(i), dets.get(i), 0.5));
        }
        Map<Integer, Double> expected = devkit(gts, dets, method);
        Map<Integer, Double> actual = total.summarize(method).classAp();
        assertEquals(expected.keySet(), actual.keySet(), "round " + round);
        for (Map.Entry<Integer, Double> e : expected.entrySet()) {
          assertEquals(e.getValue(), actual.get(e.getKey()), 1e-12, "round " + round + " class " + e.getKey());
        }
      }
    }
  }

  /** The devkit's voc_eval per class: all detections sorted by score, each matched in its image. */
  private static Map<Integer, Double> devkit(List<List<VocBox>> gts, List<List<Detection>> dets, VocAp method) {
    Map<Integer, Double> out = new TreeMap<>();
    for (int cls = 0; cls < 3; cls++) {
      int npos = 0;
      List<boolean[]> taken = new ArrayList<>();
      for (List<VocBox> g : gts) {
        taken.add(new boolean[g.size()]);
        for (VocBox b : g) {
          npos += b.classId() == cls && !b.difficult() ? 1 : 0;
        }
      }
      List<double[]> all = new ArrayList<>(); // {score, image, index}
      for (int i = 0; i < dets.size(); i++) {
        for (int j = 0; j < dets.get(i).size(); j++) {
          if (dets.get(i).get(j).classId() == cls) {
            all.add(new double[] {dets.get(i).get(j).score(), i, j});
          }
        }
      }
      all.sort((a, b) -> Double.compare(b[0], a[0]));
      List<Double> tp = new ArrayList<>();
      for (double[] e : all) {
        int image = (int) e[1];
        Corners d = dets.get(image).get((int) e[2]).box();
        double ovmax = -1;
        int jmax = -1;
        List<VocBox> g = gts.get(image);
        for (int k = 0; k < g.size(); k++) {
          if (g.get(k).classId() != cls) {
            continue;
          }
          Corners b = g.get(k).box();
          double iw = Math.min(d.x2(), b.x2()) - Math.max(d.x1(), b.x1());
          double ih = Math.min(d.y2(), b.y2()) - Math.max(d.y1(), b.y1());
          double inter = iw > 0 && ih > 0 ? iw * ih : 0;
          double areas = (d.x2() - d.x1()) * (d.y2() - d.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1());
          double ov = inter / (areas - inter);
          if (ov > ovmax) {
            ovmax = ov;
            jmax = k;
          }
        }
        if (ovmax > 0.5) {
          if (!g.get(jmax).difficult()) {
            tp.add(taken.get(image)[jmax] ? 0.0 : 1.0);
            taken.get(image)[jmax] = true;
          }
        } else {
          tp.add(0.0);
        }
      }
      if (npos == 0) {
        continue;
      }
      double[] rec = new double[tp.size()];
      double[] prec = new double[tp.size()];
      double cum = 0;
      for (int i = 0; i < tp.size(); i++) {
        cum += tp.get(i);
        rec[i] = cum / npos;
        prec[i] = cum / (i + 1);
      }
      out.put(cls, method.of(rec, prec));
    }
    return out;
  }

  private static VocBox box(double x1, double y1, double x2, double y2, int cls, boolean difficult) {
    return new VocBox(new Corners(x1, y1, x2, y2), cls, difficult);
  }
}
