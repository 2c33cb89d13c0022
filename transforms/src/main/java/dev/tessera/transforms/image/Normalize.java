package dev.tessera.transforms.image;

/**
 * The normalize kernel: {@code u8} HWC images to {@code float} CHW tensors, {@code (u8 / 255 - mean[c]) / std[c]}.
 *
 * <p>Built once per spec: it precomputes a 256-entry lookup table per channel, so {@link #apply} is one table
 * read per sample. Each entry is computed in {@code double} and rounded once to {@code float}. Immutable and
 * thread-safe.
 */
public final class Normalize {
  private final NormalizeSpec spec;
  /** {@code lut[ch][v]} = normalized value of level {@code v} in channel {@code ch}; one row per spec value. */
  private final float[][] lut;
  /** Per spec value: {@code 1 / (255 std)} and {@code -mean / std}, the table as {@code level * scale + bias}. */
  private final double[] scale;
  private final double[] bias;
  /** Whether {@code (float) (v * scale[ch] + bias[ch])} equals {@code lut[ch][v]} for every level and channel. */
  private final boolean affineExact;

  private Normalize(NormalizeSpec spec) {
    this.spec = spec;
    int n = spec.channels();
    this.lut = new float[n][256];
    this.scale = new double[n];
    this.bias = new double[n];
    boolean exact = true;
    for (int ch = 0; ch < n; ch++) {
      double mean = spec.meanOf(ch);
      double std = spec.stdOf(ch);
      scale[ch] = 1.0 / (255.0 * std);
      bias[ch] = -mean / std;
      for (int v = 0; v < 256; v++) {
        lut[ch][v] = (float) ((v / 255.0 - mean) / std);
        exact &= (float) (v * scale[ch] + bias[ch]) == lut[ch][v];
      }
    }
    this.affineExact = exact;
  }

  /**
   * The kernel for a spec.
   *
   * <pre>{@code
   * Normalize mnist = Normalize.of(ImageTransforms.normalize(0.1307, 0.3081));
   * }</pre>
   */
  public static Normalize of(NormalizeSpec spec) {
    if (spec == null) {
      throw new IllegalArgumentException("normalize spec must be set, but was null.");
    }
    return new Normalize(spec);
  }

  /** The lookup table of channel {@code ch}: entry {@code v} is the normalized value of level {@code v}. Shared. */
  float[] lutOf(int ch) {
    return lut[lut.length == 1 ? 0 : ch];
  }

  /**
   * Whether {@link #affineScale} and {@link #affineBias} reproduce the table exactly: {@code (float) (v * scale +
   * bias)}, computed in {@code double}, equals the table entry for all 256 levels of every channel. Checked
   * exhaustively when the kernel is built (true for every spec tried, but not a theorem), so that SIMD code may
   * compute the values instead of gathering them from the table.
   */
  boolean affineExact() {
    return affineExact;
  }

  /** {@code 1 / (255 std)} of channel {@code ch}. */
  double affineScale(int ch) {
    return scale[scale.length == 1 ? 0 : ch];
  }

  /** {@code -mean / std} of channel {@code ch}. */
  double affineBias(int ch) {
    return bias[bias.length == 1 ? 0 : ch];
  }

  /** The spec this kernel applies. */
  public NormalizeSpec spec() {
    return spec;
  }

  /**
   * Normalizes {@code hwcU8} ({@code h x w x c} bytes, channels interleaved) into {@code chwOut}
   * ({@code c x h x w} floats, one plane per channel): {@code out[ch][y][x] = (in[y][x][ch] / 255 - mean[ch]) /
   * std[ch]}.
   *
   * @throws IllegalArgumentException if a size is not positive, an array has the wrong length, or the spec has 3
   *     values and the image does not have 3 channels
   */
  public void apply(byte[] hwcU8, int h, int w, int c, float[] chwOut) {
    checkArguments(hwcU8, h, w, c, chwOut);
    int plane = h * w;
    if (c == 1) {
      float[] l = lut[0];
      for (int i = 0; i < plane; i++) {
        chwOut[i] = l[hwcU8[i] & 0xFF];
      }
    } else if (c == 3) {
      float[] l0 = lut[0];
      float[] l1 = lut[lut.length == 1 ? 0 : 1];
      float[] l2 = lut[lut.length == 1 ? 0 : 2];
      int p1 = plane;
      int p2 = 2 * plane;
      for (int i = 0, s = 0; i < plane; i++, s += 3) {
        chwOut[i] = l0[hwcU8[s] & 0xFF];
        chwOut[p1 + i] = l1[hwcU8[s + 1] & 0xFF];
        chwOut[p2 + i] = l2[hwcU8[s + 2] & 0xFF];
      }
    } else {
      // Other channel counts are only reachable with a single-value spec (checked above).
      float[] l = lut[0];
      for (int ch = 0; ch < c; ch++) {
        int o = ch * plane;
        for (int i = 0, s = ch; i < plane; i++, s += c) {
          chwOut[o + i] = l[hwcU8[s] & 0xFF];
        }
      }
    }
  }

  private void checkArguments(byte[] src, int h, int w, int c, float[] out) {
    if (h <= 0 || w <= 0 || c <= 0) {
      throw new IllegalArgumentException(
          "normalize input must have positive height, width and channels, but was " + h + "x" + w + "x" + c + ".");
    }
    spec.checkChannels(c);
    long len = (long) h * w * c;
    if (src == null || src.length != len) {
      throw new IllegalArgumentException("normalize input must hold h*w*c = " + h + "*" + w + "*" + c + " = " + len
          + " bytes (HWC), but held " + (src == null ? "null" : src.length) + ".");
    }
    if (out == null || out.length != len) {
      throw new IllegalArgumentException("normalize output must hold c*h*w = " + len
          + " floats (CHW), but held " + (out == null ? "null" : out.length) + ".");
    }
  }
}
