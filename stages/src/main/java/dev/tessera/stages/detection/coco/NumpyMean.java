package dev.tessera.stages.detection.coco;

/**
 * {@code numpy.mean} of a float64 array, bit for bit: numpy sums pairwise (blocks of up to 128 with eight
 * running sums), which can differ from a plain loop in the last bit, and a last-bit difference can flip the third
 * decimal that pycocotools prints.
 */
final class NumpyMean {
  private static final int BLOCK = 128;

  private NumpyMean() {}

  /** The mean of {@code values[0..n)}, or -1 when {@code n == 0} (pycocotools' "nothing to measure"). */
  static double of(double[] values, int n) {
    return n == 0 ? -1 : (0.0 + pairwiseSum(values, 0, n)) / n;
  }

  private static double pairwiseSum(double[] a, int from, int n) {
    if (n < 8) {
      double res = -0.0;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    if (n <= BLOCK) {
      double[] r = new double[8];
      System.arraycopy(a, from, r, 0, 8);
      int i = 8;
      for (; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
  }
}
