package dev.tessera.pipelines.tracking.mlflow.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles exactly as Python's {@code repr(float)} does, which is how MLflow's file store writes metric
 * values: {@code nan}, {@code inf}, {@code -inf}, {@code 0.1}, {@code 100.0}, {@code 1e-05}, {@code 1.5e+20}.
 *
 * <p>Python prints the shortest decimal that reads back to the same double, in positional notation when the
 * decimal exponent is in {@code [-4, 16)} and in scientific notation (two-digit minimum exponent) otherwise.
 * {@link Double#toString} differs in notation and, on JDK 17, is not always shortest, so the digits are found here
 * by rounding the exact binary value to 1, 2, ... 17 significant digits until one round-trips.
 */
public final class PythonFloats {
  private PythonFloats() {}

  /** Python's {@code repr(value)}. */
  public static String repr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    BigDecimal exact = new BigDecimal(value);
    BigDecimal shortest = null;
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (rounded.doubleValue() == value) {
        shortest = rounded;
        break;
      }
    }
    if (shortest == null) {
      throw new AssertionError("17 significant digits always round-trip a double: " + value);
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    // value = 0.d1d2...dn * 10^decpt
    int decpt = digits.length() - shortest.scale();
    StringBuilder out = new StringBuilder(24);
    if (value < 0) {
      out.append('-');
    }
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        out.append("0.");
        out.append("0".repeat(-decpt));
        out.append(digits);
      } else if (decpt >= digits.length()) {
        out.append(digits);
        out.append("0".repeat(decpt - digits.length()));
        out.append(".0");
      } else {
        out.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
      }
    } else {
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      int exponent = decpt - 1;
      out.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        out.append('0');
      }
      out.append(abs);
    }
    return out.toString();
  }
}
