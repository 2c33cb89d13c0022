package dev.tessera.transforms.image;

/**
 * RGB to HSV and back in {@code float}, with the formulas of OpenCV's {@code cvtColor} for {@code CV_32F}
 * ({@code COLOR_RGB2HSV} / {@code COLOR_HSV2RGB}): R, G, B, S, V in {@code [0, 1]}, H in degrees {@code [0, 360)}.
 * Used by {@link ColorJitter}'s hue shift.
 */
public final class Hsv {
  private static final float EPS = Math.ulp(1f); // FLT_EPSILON
  private static final int[][] SECTORS = {{1, 3, 0}, {1, 0, 2}, {3, 0, 1}, {0, 2, 1}, {0, 1, 3}, {2, 1, 0}};

  private Hsv() {}

  /** Writes {@code h, s, v} of the colour {@code (r, g, b)} into {@code out[0..2]}. */
  public static void fromRgb(float r, float g, float b, float[] out) {
    float v = Math.max(r, Math.max(g, b));
    float min = Math.min(r, Math.min(g, b));
    float diff = v - min;
    float s = diff / (Math.abs(v) + EPS);
    float k = 60f / (diff + EPS);
    float h;
    if (v == r) {
      h = (g - b) * k;
    } else if (v == g) {
      h = (b - r) * k + 120f;
    } else {
      h = (r - g) * k + 240f;
    }
    if (h < 0) {
      h += 360f;
    }
    out[0] = h;
    out[1] = s;
    out[2] = v;
  }

  /** Writes {@code r, g, b} of the colour {@code (h, s, v)} into {@code out[0..2]}; any finite hue wraps. */
  public static void toRgb(float h, float s, float v, float[] out) {
    if (s == 0) {
      out[0] = v;
      out[1] = v;
      out[2] = v;
      return;
    }
    h *= 6f / 360f;
    if (h < 0) {
      do {
        h += 6;
      } while (h < 0);
    } else {
      while (h >= 6) {
        h -= 6;
      }
    }
    int sector = (int) Math.floor(h);
    h -= sector;
    if (sector < 0 || sector >= 6) {
      sector = 0;
      h = 0;
    }
    float t0 = v;
    float t1 = v * (1 - s);
    float t2 = v * (1 - s * h);
    float t3 = v * (1 - s * (1 - h));
    float[] tab = {t0, t1, t2, t3};
    // OpenCV's table gives (b, g, r) per sector.
    out[2] = tab[SECTORS[sector][0]];
    out[1] = tab[SECTORS[sector][1]];
    out[0] = tab[SECTORS[sector][2]];
  }
}
