/** A helper of the user's stage, two calls deep from the experiment. */
final class StatsMath {
  private StatsMath() {}

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
