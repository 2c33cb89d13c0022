package dev.tessera.transforms.image;

/**
 * The colour jitter kernel on {@code u8} HWC RGB images, with given factors (the random draw is the caller's, see
 * {@code ColorJitterSample}). Applied in a fixed order, each step on the float result of the previous one clamped
 * to {@code [0, 255]}, rounded to the nearest level once at the end:
 *
 * <ol>
 *   <li>brightness: {@code x * b};
 *   <li>contrast: {@code c * x + (1 - c) * mean}, where {@code mean} is the image's mean grey level
 *       ({@code 0.299 R + 0.587 G + 0.114 B}, as torchvision);
 *   <li>saturation: {@code s * x + (1 - s) * grey(pixel)};
 *   <li>hue: rotate H by {@code hue * 360} degrees in OpenCV's float HSV ({@link Hsv}).
 * </ol>
 *
 * Factor 1 and hue 0 leave the image unchanged. Geometry (boxes, masks) is unaffected.
 */
public final class ColorJitter {
  private ColorJitter() {}

  /** Applies the factors to {@code src} ({@code h x w x 3}) into {@code dst} (same length; may be {@code src}). */
  public static void apply(byte[] src, int h, int w, int c, double brightness, double contrast, double saturation,
      double hue, byte[] dst) {
    Crop.checkImage("colorJitter", src, h, w, c);
    if (c != 3) {
      throw new IllegalArgumentException("colorJitter needs RGB images (3 channels), but the image has " + c
          + "; convert grayscale to RGB first.");
    }
    if (dst == null || dst.length != src.length) {
      throw new IllegalArgumentException("colorJitter destination must hold " + src.length + " bytes, but held "
          + (dst == null ? "null" : dst.length) + ".");
    }
    int n = h * w;
    float[] f = new float[n * 3];
    double sum = 0;
    for (int i = 0; i < f.length; i++) {
      f[i] = clamp((src[i] & 0xFF) * (float) brightness);
    }
    if (contrast != 1) {
      for (int p = 0; p < n; p++) {
        sum += grey(f, 3 * p);
      }
      float mean = (float) (sum / n);
      float cf = (float) contrast;
      for (int i = 0; i < f.length; i++) {
        f[i] = clamp(cf * f[i] + (1 - cf) * mean);
      }
    }
    if (saturation != 1) {
      float sf = (float) saturation;
      for (int p = 0; p < n; p++) {
        float g = grey(f, 3 * p);
        for (int k = 0; k < 3; k++) {
          f[3 * p + k] = clamp(sf * f[3 * p + k] + (1 - sf) * g);
        }
      }
    }
    if (hue != 0) {
      float shift = (float) (hue * 360);
      float[] hsv = new float[3];
      float[] rgb = new float[3];
      for (int p = 0; p < n; p++) {
        int i = 3 * p;
        Hsv.fromRgb(f[i] / 255f, f[i + 1] / 255f, f[i + 2] / 255f, hsv);
        Hsv.toRgb(hsv[0] + shift, hsv[1], hsv[2], rgb);
        f[i] = clamp(rgb[0] * 255f);
        f[i + 1] = clamp(rgb[1] * 255f);
        f[i + 2] = clamp(rgb[2] * 255f);
      }
    }
    for (int i = 0; i < f.length; i++) {
      dst[i] = (byte) Math.round(f[i]);
    }
  }

  private static float grey(float[] f, int i) {
    return 0.299f * f[i] + 0.587f * f[i + 1] + 0.114f * f[i + 2];
  }

  private static float clamp(float v) {
    return v < 0 ? 0 : Math.min(v, 255f);
  }
}
