package dev.tessera.stages.detection.boxes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The NDArray measures equal the plain-double ones, and their gradients equal finite differences. */
class OverlapMeasureNdTest {
  private static final int N = 2000;

  /** Random boxes in a 640-pixel image; every other pair overlaps (b is a jittered a). */
  private static double[][] randomPairs(long seed, int n) {
    Random random = new Random(seed);
    double[][] pairs = new double[n][8];
    for (int i = 0; i < n; i++) {
      double x = random.nextDouble() * 600;
      double y = random.nextDouble() * 600;
      double w = 1 + random.nextDouble() * 120;
      double h = 1 + random.nextDouble() * 120;
      double[] p = pairs[i];
      p[0] = x;
      p[1] = y;
      p[2] = x + w;
      p[3] = y + h;
      if (i % 2 == 0) {
        p[4] = x + random.nextGaussian() * w * 0.3;
        p[5] = y + random.nextGaussian() * h * 0.3;
        p[6] = p[4] + w * (0.5 + random.nextDouble());
        p[7] = p[5] + h * (0.5 + random.nextDouble());
      } else {
        p[4] = random.nextDouble() * 600;
        p[5] = random.nextDouble() * 600;
        p[6] = p[4] + 1 + random.nextDouble() * 120;
        p[7] = p[5] + 1 + random.nextDouble() * 120;
      }
    }
    return pairs;
  }

  private static NDArray column(NDManager manager, double[][] pairs, int from, DataType type) {
    double[] flat = new double[pairs.length * 4];
    for (int i = 0; i < pairs.length; i++) {
      System.arraycopy(pairs[i], from, flat, i * 4, 4);
    }
    return manager.create(flat, new Shape(pairs.length, 4)).toType(type, false);
  }

  private static Corners corners(double[] p, int from) {
    return new Corners(p[from], p[from + 1], p[from + 2], p[from + 3]);
  }

  @Test
  void float32BatchEqualsPlainDoublesOnRandomBoxes() {
    double[][] pairs = randomPairs(11, N);
    try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
      NDArray a = column(manager, pairs, 0, DataType.FLOAT32);
      NDArray b = column(manager, pairs, 4, DataType.FLOAT32);
      for (OverlapMeasure m : OverlapMeasure.values()) {
        float[] values = m.of(a, b).toFloatArray();
        float[] losses = m.loss(a, b).toFloatArray();
        assertEquals(N, values.length);
        for (int i = 0; i < N; i++) {
          // the reference sees the same float32-rounded corners the array holds
          double expected = m.of(corners(rounded(pairs[i]), 0), corners(rounded(pairs[i]), 4));
          assertEquals(expected, values[i], 1e-5, m + " pair " + i);
          assertEquals(1 - expected, losses[i], 1e-5, m + " loss, pair " + i);
        }
      }
    }
  }

  private static double[] rounded(double[] p) {
    double[] r = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      r[i] = (float) p[i];
    }
    return r;
  }

  @Test
  void gradientsOfIouGiouAndDiouLossesEqualFiniteDifferences() {
    double[][] pairs = randomPairs(5, 40);
    for (OverlapMeasure m : new OverlapMeasure[] {OverlapMeasure.IOU, OverlapMeasure.GIOU, OverlapMeasure.DIOU}) {
      double[][] grad = autogradOfLossWrtA(m, pairs);
      for (int i = 0; i < pairs.length; i++) {
        double[] p = pairs[i];
        for (int c = 0; c < 4; c++) {
          double numeric = centralDifference(q -> m.loss(corners(q, 0), corners(q, 4)), p, c);
          assertEquals(numeric, grad[i][c], 1e-6, m + " d loss / d a[" + c + "], pair " + i);
        }
      }
    }
  }

  @Test
  void ciouGradientHoldsAlphaConstant() {
    double[][] pairs = randomPairs(6, 40);
    double[][] grad = autogradOfLossWrtA(OverlapMeasure.CIOU, pairs);
    int nonZero = 0;
    for (int i = 0; i < pairs.length; i++) {
      double[] p = pairs[i];
      Corners b = corners(p, 4);
      double alpha0 = alpha(corners(p, 0), b);
      // the loss the backward pass differentiates: 1 - (DIoU - alpha0 * v), alpha frozen at this point
      ToDoubleFunction<double[]> frozen =
          q -> 1 - (OverlapMeasure.DIOU.of(corners(q, 0), b) - alpha0 * v(corners(q, 0), b));
      for (int c = 0; c < 4; c++) {
        assertEquals(centralDifference(frozen, p, c), grad[i][c], 1e-6, "CIOU d loss / d a[" + c + "], pair " + i);
        nonZero += grad[i][c] != 0 ? 1 : 0;
      }
    }
    assertTrue(nonZero > pairs.length, "CIoU gradients should mostly be non-zero, but " + nonZero + " were");
  }

  @Test
  void pairwiseGivesEveryBoxAgainstEveryBox() {
    double[][] pairs = randomPairs(12, 30);
    double[][] others = randomPairs(13, 17);
    try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
      NDArray a = column(manager, pairs, 0, DataType.FLOAT64);
      NDArray b = column(manager, others, 4, DataType.FLOAT64);
      for (OverlapMeasure m : OverlapMeasure.values()) {
        NDArray all = m.pairwise(a, b);
        assertEquals(new Shape(30, 17), all.getShape(), m.name());
        double[] values = all.toDoubleArray();
        for (int i = 0; i < 30; i++) {
          for (int j = 0; j < 17; j++) {
            assertEquals(m.of(corners(pairs[i], 0), corners(others[j], 4)), values[i * 17 + j], 1e-12,
                m + " box " + i + " against box " + j);
          }
        }
      }
    }
  }

  @Test
  void rejectsArraysThatAreNotNBy4() {
    try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
      NDArray a = manager.zeros(new Shape(3, 5));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> OverlapMeasure.IOU.of(a, a));
      assertEquals("box overlap needs a as an (N, 4) array of corners x1,y1,x2,y2, but its shape was (3, 5)."
          + " Reshape it to (N, 4).", e.getMessage());
      NDArray three = manager.zeros(new Shape(3, 4));
      NDArray two = manager.zeros(new Shape(2, 4));
      assertThrows(IllegalArgumentException.class, () -> OverlapMeasure.IOU.of(three, two));
      assertEquals(new Shape(3, 2), OverlapMeasure.IOU.pairwise(three, two).getShape());
    }
  }

  /** CIoU's aspect-ratio term, written here from the paper's formula independently of the main code. */
  private static double v(Corners a, Corners b) {
    double d = Math.atan(a.width() / a.height()) - Math.atan(b.width() / b.height());
    return 4 / (Math.PI * Math.PI) * d * d;
  }

  private static double alpha(Corners a, Corners b) {
    double v = v(a, b);
    return v / (1 - OverlapMeasure.IOU.of(a, b) + v);
  }

  private static double centralDifference(ToDoubleFunction<double[]> f, double[] p, int c) {
    double h = 1e-5;
    double[] plus = p.clone();
    double[] minus = p.clone();
    plus[c] += h;
    minus[c] -= h;
    return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
  }

  /** d(sum of losses)/d(a) by DJL autograd in float64, so the comparison is not limited by float32. */
  private static double[][] autogradOfLossWrtA(OverlapMeasure m, double[][] pairs) {
    try (NDManager manager = NDManager.newBaseManager(Engine.getEngine("PyTorch").defaultDevice(), "PyTorch")) {
      NDArray a = column(manager, pairs, 0, DataType.FLOAT64);
      NDArray b = column(manager, pairs, 4, DataType.FLOAT64);
      a.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray loss = m.loss(a, b).sum();
        collector.backward(loss);
      }
      double[] flat = a.getGradient().toDoubleArray();
      double[][] grad = new double[pairs.length][4];
      for (int i = 0; i < pairs.length; i++) {
        System.arraycopy(flat, i * 4, grad[i], 0, 4);
      }
      return grad;
    }
  }
}
