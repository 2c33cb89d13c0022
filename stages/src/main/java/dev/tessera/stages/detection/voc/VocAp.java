package dev.tessera.stages.detection.voc;

/**
 * Average precision from a precision/recall curve, as the Pascal VOC devkit computes it. Both take the curve
 * point by point in order of descending score ({@code recall} non-decreasing) and return a value in [0, 1]; an
 * empty curve gives 0.
 */
public enum VocAp {
  /**
   * VOC2010 and later: the area under the curve after making precision monotone (each point takes the highest
   * precision at any recall at or beyond it), summed where recall changes.
   */
  ALL_POINT {
    @Override
    public double of(double[] recall, double[] precision) {
      int n = check(recall, precision);
      double[] mrec = new double[n + 2];
      double[] mpre = new double[n + 2];
      mrec[n + 1] = 1;
      System.arraycopy(recall, 0, mrec, 1, n);
      System.arraycopy(precision, 0, mpre, 1, n);
      for (int i = n; i >= 0; i--) {
        mpre[i] = Math.max(mpre[i], mpre[i + 1]);
      }
      double ap = 0;
      for (int i = 0; i <= n; i++) {
        if (mrec[i + 1] != mrec[i]) {
          ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
        }
      }
      return ap;
    }
  },
  /** VOC2007: the mean, over recall 0, 0.1, ..., 1.0, of the highest precision at recall at least that. */
  ELEVEN_POINT {
    @Override
    public double of(double[] recall, double[] precision) {
      int n = check(recall, precision);
      double ap = 0;
      for (int k = 0; k <= 10; k++) {
        double t = k / 10.0;
        double best = 0;
        for (int i = 0; i < n; i++) {
          if (recall[i] >= t) {
            best = Math.max(best, precision[i]);
          }
        }
        ap += best / 11;
      }
      return ap;
    }
  };

  /** The AP of a curve given as recall and precision after each detection, in order of descending score. */
  public abstract double of(double[] recall, double[] precision);

  private static int check(double[] recall, double[] precision) {
    if (recall.length != precision.length) {
      throw new IllegalArgumentException("recall and precision must have one value per detection, but had "
          + recall.length + " and " + precision.length + " values. Pass the two arrays of one curve.");
    }
    return recall.length;
  }
}
