package dev.tessera.stages.sweep;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * TPE's density over a group of parameters: a weighted mixture of product kernels, one kernel per observation plus
 * one prior kernel. Numbers are truncated normals (in log space for log ranges, integrated over each integer's cell
 * for integers); choices are categorical kernels that put extra mass on the observed choice.
 */
final class ParzenEstimator {
  private static final double EPS = 1e-12;

  private final List<Parameter> parameters;
  private final double[] logWeights;
  private final Dimension[] dimensions;

  /** Kernels over {@code observations[i][d]} (internal values) with the given per-observation weights. */
  ParzenEstimator(List<Parameter> parameters, double[][] observations, double[] weights, TpeSettings settings) {
    this.parameters = parameters;
    int n = observations.length;
    double[] mixture = new double[n + 1];
    System.arraycopy(weights, 0, mixture, 0, n);
    mixture[n] = n == 0 ? 1.0 : settings.priorWeight();
    double sum = 0;
    for (double w : mixture) {
      sum += w;
    }
    logWeights = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      logWeights[k] = Math.log(mixture[k] / sum);
    }
    dimensions = new Dimension[parameters.size()];
    for (int d = 0; d < dimensions.length; d++) {
      double[] column = new double[n];
      for (int i = 0; i < n; i++) {
        column[i] = observations[i][d];
      }
      Parameter parameter = parameters.get(d);
      dimensions[d] = parameter instanceof Choice choice
          ? categorical(column, choice.choices().size(), settings)
          : numerical(column, parameter, settings);
    }
  }

  /** {@code size} draws from the mixture, as rows of internal values. */
  double[][] sample(Random random, int size) {
    double[][] out = new double[size][dimensions.length];
    for (int s = 0; s < size; s++) {
      int k = component(random);
      for (int d = 0; d < dimensions.length; d++) {
        out[s][d] = dimensions[d].sample(k, random);
      }
    }
    return out;
  }

  /** The log density (log mass for integers and choices) of one row of internal values. */
  double logPdf(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    double[] terms = new double[logWeights.length];
    for (int k = 0; k < logWeights.length; k++) {
      double term = logWeights[k];
      for (int d = 0; d < dimensions.length && term > Double.NEGATIVE_INFINITY; d++) {
        term += dimensions[d].logPdf(k, x[d]);
      }
      terms[k] = term;
      max = Math.max(max, term);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double total = 0;
    for (double term : terms) {
      total += Math.exp(term - max);
    }
    return max + Math.log(total);
  }

  List<Parameter> parameters() {
    return parameters;
  }

  private int component(Random random) {
    double u = random.nextDouble();
    double cumulative = 0;
    for (int k = 0; k < logWeights.length - 1; k++) {
      cumulative += Math.exp(logWeights[k]);
      if (u < cumulative) {
        return k;
      }
    }
    return logWeights.length - 1;
  }

  private static Dimension categorical(double[] observed, int choices, TpeSettings settings) {
    int kernels = observed.length + 1;
    double[][] weights = new double[kernels][choices];
    for (int k = 0; k < kernels; k++) {
      double fill = observed.length == 0 ? 1.0 / choices : settings.priorWeight() / kernels;
      Arrays.fill(weights[k], fill);
      if (k < observed.length) {
        weights[k][(int) observed[k]] += 1;
      }
      double rowSum = 0;
      for (double w : weights[k]) {
        rowSum += w;
      }
      for (int c = 0; c < choices; c++) {
        weights[k][c] /= rowSum == 0 ? 1 : rowSum;
      }
    }
    return new Categorical(weights);
  }

  private static Dimension numerical(double[] observed, Parameter parameter, TpeSettings settings) {
    Ranges.Bounds bounds = Ranges.of(parameter);
    boolean log = bounds.log();
    double low = bounds.low();
    double high = bounds.high();
    double step = bounds.step();
    double adaptedLow = low - step / 2;
    double adaptedHigh = high + step / 2;
    if (log) {
      adaptedLow = Math.log(adaptedLow);
      adaptedHigh = Math.log(adaptedHigh);
    }
    int n = observed.length;
    double[] mus = new double[n + 1];
    for (int i = 0; i < n; i++) {
      mus[i] = log ? Math.log(observed[i]) : observed[i];
    }
    double[] sigmas = new double[n + 1];
    neighbourSigmas(mus, n, adaptedLow, adaptedHigh, settings, sigmas);
    mus[n] = 0.5 * (adaptedLow + adaptedHigh);
    sigmas[n] = adaptedHigh - adaptedLow;
    return new Numerical(mus, sigmas, adaptedLow, adaptedHigh, low, high, step, log);
  }

  /**
   * Each kernel's width: the larger gap to its sorted neighbours (bounds included), clipped. Equal observations keep
   * their chronological order (a stable sort); Optuna's numpy argsort leaves ties in no defined order, which matters
   * only when their weights differ (past 25 observations).
   */
  private static void neighbourSigmas(double[] mus, int n, double low, double high, TpeSettings settings,
      double[] out) {
    if (n == 0) {
      return;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (p, q) -> Double.compare(mus[p], mus[q]));
    double[] withEnds = new double[n + 2];
    withEnds[0] = low;
    for (int i = 0; i < n; i++) {
      withEnds[i + 1] = mus[order[i]];
    }
    withEnds[n + 1] = high;
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = Math.max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
    }
    if (!settings.considerEndpoints() && n + 2 >= 4) {
      // The outermost kernels ignore the distance to the bound, which would make them needlessly wide.
      sorted[0] = withEnds[2] - withEnds[1];
      sorted[n - 1] = withEnds[n] - withEnds[n - 1];
    }
    double max = high - low;
    double min = settings.considerMagicClip() ? (high - low) / Math.min(100.0, 1.0 + (n + 1)) : EPS;
    for (int i = 0; i < n; i++) {
      out[order[i]] = Math.max(min, Math.min(max, sorted[i]));
    }
  }

  private interface Dimension {
    double sample(int kernel, Random random);

    double logPdf(int kernel, double x);
  }

  private record Categorical(double[][] weights) implements Dimension {
    @Override
    public double sample(int kernel, Random random) {
      double u = random.nextDouble();
      double cumulative = 0;
      double[] row = weights[kernel];
      for (int c = 0; c < row.length - 1; c++) {
        cumulative += row[c];
        if (u < cumulative) {
          return c;
        }
      }
      return row.length - 1;
    }

    @Override
    public double logPdf(int kernel, double x) {
      return Math.log(weights[kernel][(int) x]);
    }
  }

  private record Numerical(double[] mus, double[] sigmas, double adaptedLow, double adaptedHigh, double low,
      double high, double step, boolean log) implements Dimension {
    @Override
    public double sample(int kernel, Random random) {
      double x = TruncatedNormal.sample(mus[kernel], sigmas[kernel], adaptedLow, adaptedHigh, random.nextDouble());
      if (log) {
        x = Math.exp(x);
      }
      if (step > 0) {
        x = Math.max(low, Math.min(high, low + Math.round((x - low) / step) * step));
      } else {
        x = Math.max(low, Math.min(high, x));
      }
      return x;
    }

    @Override
    public double logPdf(int kernel, double x) {
      double mu = mus[kernel];
      double sigma = sigmas[kernel];
      if (step == 0) {
        return TruncatedNormal.logPdf(log ? Math.log(x) : x, mu, sigma, adaptedLow, adaptedHigh);
      }
      double left = log ? Math.log(x - step / 2) : x - step / 2;
      double right = log ? Math.log(x + step / 2) : x + step / 2;
      return TruncatedNormal.logGaussMass((left - mu) / sigma, (right - mu) / sigma)
          - TruncatedNormal.logGaussMass((adaptedLow - mu) / sigma, (adaptedHigh - mu) / sigma);
    }
  }
}
