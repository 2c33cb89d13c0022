package dev.tessera.stages.evaluate.metrics;

/**
 * Mean negative log-likelihood of the true classes: scikit-learn 1.9's {@code log_loss} with
 * {@code labels=range(classes)}.
 *
 * <pre>{@code
 * double loss = LogLoss.of(labels, probabilities);        // probabilities[sample][class]
 * }</pre>
 *
 * <p>As scikit-learn 1.9: every probability must lie in [0, 1]; rows are <em>not</em> renormalized (scikit-learn
 * only warns when a row does not sum to 1), and the true class's probability is clipped to
 * [eps, 1 - eps] with eps the machine epsilon of the input's type (2^-52 for {@code double[][]}, 2^-23 for
 * {@code float[][]}, as numpy's {@code finfo}) before its logarithm. The float variant clips in float but sums in
 * double, where scikit-learn given float32 arrays also sums in float32: the two then differ by float32 rounding
 * (about 1e-7 relative).
 */
public final class LogLoss {
  private LogLoss() {}

  private static final String METRIC = "log_loss";
  private static final double DOUBLE_EPS = Math.ulp(1.0);
  private static final float FLOAT_EPS = Math.ulp(1.0f);

  /** The mean log loss of double probabilities. */
  public static double of(int[] labels, double[][] probabilities) {
    return total(labels, probabilities) / labels.length;
  }

  /** The mean log loss of float probabilities (clipped at float epsilon, as numpy float32 arrays are). */
  public static double of(int[] labels, float[][] probabilities) {
    double[][] wide = Inputs.toDouble(probabilities);
    Inputs.classes(METRIC, labels, wide);
    requireProbabilities(wide);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      float p = Math.min(Math.max(probabilities[i][labels[i]], FLOAT_EPS), 1 - FLOAT_EPS);
      sum += -Math.log(p);
    }
    return sum / labels.length;
  }

  /** The summed (not averaged) log loss, scikit-learn's {@code normalize=False}. */
  public static double total(int[] labels, double[][] probabilities) {
    Inputs.classes(METRIC, labels, probabilities);
    requireProbabilities(probabilities);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      sum += -Math.log(clip(probabilities[i][labels[i]]));
    }
    return sum;
  }

  /**
   * The mean log loss of binary labels (1 positive, 0 negative) from the positive class's probabilities; the
   * negative class's is {@code 1 - p}, as scikit-learn does for 1-D probabilities.
   */
  public static double binary(int[] labels, double[] positiveProbabilities) {
    Inputs.binary(METRIC, labels, positiveProbabilities);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      double p = positiveProbabilities[i];
      if (p < 0 || p > 1) {
        throw outOfRange("positiveProbabilities[" + i + "]", p);
      }
      sum += -Math.log(clip(labels[i] == 1 ? p : 1 - p));
    }
    return sum / labels.length;
  }

  private static double clip(double p) {
    return Math.min(Math.max(p, DOUBLE_EPS), 1 - DOUBLE_EPS);
  }

  private static void requireProbabilities(double[][] probabilities) {
    for (int i = 0; i < probabilities.length; i++) {
      for (int c = 0; c < probabilities[i].length; c++) {
        if (probabilities[i][c] < 0 || probabilities[i][c] > 1) {
          throw outOfRange("probabilities[" + i + "][" + c + "]", probabilities[i][c]);
        }
      }
    }
  }

  private static IllegalArgumentException outOfRange(String where, double value) {
    return new IllegalArgumentException(METRIC + ": " + where + " = " + value + " is outside [0, 1]; pass "
        + "probabilities (apply softmax or sigmoid to logits).");
  }
}
