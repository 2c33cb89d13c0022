package dev.tessera.experiments.demo;

/**
 * Fits {@code y = w * x} by full-batch gradient descent on the mean squared error, starting from {@code w = 0}.
 * Deterministic; no randomness, no Beam, no DJL: the smallest honest "training" for sweeps over the demo data.
 */
public final class LineFit {
  private LineFit() {}

  /** The loss after each step and the final weight. */
  public record Result(double[] losses, double weight) {
    public double finalLoss() {
      return losses[losses.length - 1];
    }
  }

  /**
   * Fits {@code ys ≈ w * xs}.
   *
   * <pre>{@code
   * LineFit.Result r = LineFit.fit(new LineFitSpec(0.1, 50), new double[] {1, 2}, new double[] {2, 4});
   * }</pre>
   *
   * @throws IllegalArgumentException if the arrays are empty or differ in length
   */
  public static Result fit(LineFitSpec spec, double[] xs, double[] ys) {
    if (xs.length == 0 || xs.length != ys.length) {
      throw new IllegalArgumentException("a line fit needs as many x as y values (at least one), but got "
          + xs.length + " x and " + ys.length + " y");
    }
    double w = 0;
    double[] losses = new double[spec.steps()];
    for (int step = 0; step < spec.steps(); step++) {
      double gradient = 0;
      for (int i = 0; i < xs.length; i++) {
        gradient += 2 * (w * xs[i] - ys[i]) * xs[i];
      }
      w -= spec.learningRate() * gradient / xs.length;
      losses[step] = loss(w, xs, ys);
    }
    return new Result(losses, w);
  }

  /** Mean squared error of {@code w * x} against {@code y}. */
  public static double loss(double w, double[] xs, double[] ys) {
    double sum = 0;
    for (int i = 0; i < xs.length; i++) {
      double e = w * xs[i] - ys[i];
      sum += e * e;
    }
    return sum / xs.length;
  }
}
