package dev.tessera.stages.sweep;

/**
 * Normal distributions truncated to {@code [a, b]} in standard units: log of the mass between two points, the log
 * density and inverse-CDF sampling, computed in log space where the tails would underflow.
 */
final class TruncatedNormal {
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double SQRT2 = Math.sqrt(2);

  private TruncatedNormal() {}

  /** log(erfc(x)), accurate to about 1e-7 relative, without underflow for large x (Chebyshev fit of erfc). */
  static double logErfc(double x) {
    if (x < 0) {
      return Math.log(2 - Math.exp(logErfc(-x)));
    }
    double t = 1.0 / (1.0 + 0.5 * x);
    double poly = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
        + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
        + t * (-0.82215223 + t * 0.17087277))))))));
    return Math.log(t) + poly;
  }

  /** log of the standard normal CDF. */
  static double logNdtr(double z) {
    return Math.log(0.5) + logErfc(-z / SQRT2);
  }

  /** The standard normal CDF. */
  static double ndtr(double z) {
    return Math.exp(logNdtr(z));
  }

  /** log(Phi(b) - Phi(a)) for a <= b, stable in both tails. */
  static double logGaussMass(double a, double b) {
    if (b <= 0) {
      return logDiff(logNdtr(b), logNdtr(a));
    }
    if (a >= 0) {
      return logDiff(logNdtr(-a), logNdtr(-b));
    }
    return Math.log1p(-ndtr(a) - ndtr(-b));
  }

  private static double logDiff(double logHigh, double logLow) {
    if (logLow == Double.NEGATIVE_INFINITY) {
      return logHigh;
    }
    return logHigh + Math.log1p(-Math.exp(logLow - logHigh));
  }

  /** log density at {@code x} of N(mu, sigma) truncated to [low, high] (in the same units as x). */
  static double logPdf(double x, double mu, double sigma, double low, double high) {
    if (x < low || x > high) {
      return Double.NEGATIVE_INFINITY;
    }
    double z = (x - mu) / sigma;
    return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
  }

  /** A draw of N(mu, sigma) truncated to [low, high], by inverting the CDF at the uniform {@code u} in [0, 1). */
  static double sample(double mu, double sigma, double low, double high, double u) {
    double a = (low - mu) / sigma;
    double b = (high - mu) / sigma;
    double z;
    if (a > 0) {
      z = -standard(-b, -a, 1 - u); // Work in the left tail, where the CDF keeps its precision.
    } else {
      z = standard(a, b, u);
    }
    return Math.max(low, Math.min(high, mu + sigma * z));
  }

  private static double standard(double a, double b, double u) {
    double pa = ndtr(a);
    double pb = ndtr(b);
    double p = pa + u * (pb - pa);
    return Math.max(a, Math.min(b, ndtri(p)));
  }

  /** The standard normal quantile (Acklam's rational approximation, refined by one Halley step). */
  static double ndtri(double p) {
    if (p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    double x;
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
          - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
          / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
          + 3.754408661907416e+00) * q + 1);
    } else if (p <= 1 - 0.02425) {
      double q = p - 0.5;
      double r = q * q;
      x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r
          + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
          / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r
          + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1);
    } else {
      double q = Math.sqrt(-2 * Math.log1p(-p));
      x = -(((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q
          - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00)
          / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q
          + 3.754408661907416e+00) * q + 1);
    }
    double e = ndtr(x) - p;
    double u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
    return x - u / (1 + x * u / 2);
  }
}
