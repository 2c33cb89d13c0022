package dev.tessera.transforms.image;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Resize (bilinear) and normalize fused into one pass: {@code u8} HWC in, {@code float} CHW out, with exactly the
 * values of {@link Resize} (bilinear) followed by {@link Normalize}, but without the intermediate image.
 *
 * <p>How it is fast without SIMD intrinsics: for each output row the two source rows are blended vertically with
 * OpenCV's 11-bit fixed-point row weights into an {@code int} row (a straight array loop that the JIT
 * vectorizes), then each output pixel blends two entries of that row with the column weights, rounds once
 * ({@code >> 22}, as OpenCV's scalar path) and goes through the normalize lookup table straight into its channel
 * plane. Integer blending is associative, so vertical-then-horizontal gives the same integers as OpenCV's
 * horizontal-then-vertical order. Coefficient tables and the row buffer are kept between calls and rebuilt only
 * when the source or output size changes.
 *
 * <p>With {@code --add-modules=jdk.incubator.vector}, the bilinear path runs the SIMD passes of
 * {@link ResizeNormalizeVector} instead, at the width {@link SimdWidth} picks (512, 256 or 128 bits; same floats;
 * the normalize table is then computed as {@code level * scale + bias} in {@code double}, used only for specs where
 * that was checked to give the table's floats for all 256 levels). Without the module, or with
 * {@code -Dtessera.simd=false}, the scalar passes run; {@link #path()} says which.
 *
 * <p>Not thread-safe (it owns its buffers): use one instance per thread, e.g. a {@code ThreadLocal}. Deterministic.
 *
 * <pre>{@code
 * ResizeNormalize kernel = ResizeNormalize.of(
 *     ImageTransforms.resize(320, 320), ImageTransforms.normalize(new double[] {0.485, 0.456, 0.406},
 *         new double[] {0.229, 0.224, 0.225}));
 * float[] chw = new float[3 * 320 * 320];
 * kernel.apply(hwc, 480, 640, 3, chw);
 * }</pre>
 */
public final class ResizeNormalize {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int COEF_SCALE = BilinearTaps.COEF_SCALE;
  private static final int ROUND_SHIFT = 22;
  private static final int ROUND_DELTA = 1 << (ROUND_SHIFT - 1);

  private final ResizeSpec resize;
  private final Normalize normalize;
  private final boolean vector;

  // Column tables for (srcW, tw, c): per output column, the offsets of the two source pixels and their weights.
  private int tabSrcW = -1;
  private int tabTw = -1;
  private int tabC = -1;
  private int tabRx = -1;
  private int tabRw = -1;
  private boolean halfColumns;
  private int[] xofs0 = new int[0];
  private int[] xofs1 = new int[0];
  private int[] xa0 = new int[0];
  private int[] xa1 = new int[0];
  // Row tables for (srcH, th).
  private int tabSrcH = -1;
  private int tabTh = -1;
  private int[] ysrc0 = new int[0];
  private int[] ysrc1 = new int[0];
  private int[] yb0 = new int[0];
  private int[] yb1 = new int[0];
  private int[] rowA = new int[0];
  private int[] rowB = new int[0];
  private int[] blend = new int[0];
  private byte[] nearestRow = new byte[0];

  private ResizeNormalize(ResizeSpec resize, NormalizeSpec normalize, boolean vector) {
    this.resize = resize;
    this.normalize = Normalize.of(normalize);
    this.vector = vector && this.normalize.affineExact();
  }

  /** A kernel for one resize and one normalize spec; both must be set. */
  public static ResizeNormalize of(ResizeSpec resize, NormalizeSpec normalize) {
    if (resize == null || normalize == null) {
      throw new IllegalArgumentException("resize-normalize needs a resize spec and a normalize spec, but "
          + (resize == null ? "resize" : "normalize") + " was null.");
    }
    // SimdWidth.bits() is 0 without the vector module, so the vector class is then never loaded.
    return new ResizeNormalize(resize, normalize, SimdWidth.bits() > 0);
  }

  /** The same kernel with the scalar passes only (to check the SIMD passes against). */
  ResizeNormalize scalar() {
    return new ResizeNormalize(resize, normalize.spec(), false);
  }

  /** Whether the bilinear path runs the SIMD passes. */
  boolean usesVector() {
    return vector;
  }

  /**
   * The path the bilinear passes take: {@code "scalar"} or e.g. {@code "256-bit SIMD"} (see {@link SimdWidth}).
   * Scalar also for nearest-neighbour sampling, and for a normalize spec whose table the SIMD passes cannot compute
   * exactly.
   */
  public String path() {
    return vector && resize.interpolation() == Interpolation.BILINEAR ? ResizeNormalizeVector.BITS + "-bit SIMD"
        : "scalar";
  }

  Normalize normalizer() {
    return normalize;
  }

  public ResizeSpec resizeSpec() {
    return resize;
  }

  public NormalizeSpec normalizeSpec() {
    return normalize.spec();
  }

  /**
   * Resizes {@code srcHwc} ({@code h x w x c} bytes) to the spec's size and normalizes it into {@code dstChw}
   * ({@code c x height x width} floats).
   *
   * @throws IllegalArgumentException if a size is not positive, an array has the wrong length, or the normalize
   *     spec does not fit {@code c}
   */
  public void apply(byte[] srcHwc, int h, int w, int c, float[] dstChw) {
    int outW = resize.width();
    int outH = resize.height();
    checkSource(srcHwc, h, w, c);
    if (dstChw == null || dstChw.length != (long) outW * outH * c) {
      throw new IllegalArgumentException("resize-normalize output must hold c*height*width = " + c + "*" + outH
          + "*" + outW + " floats (CHW), but held " + (dstChw == null ? "null" : dstChw.length) + ".");
    }
    applyRegion(srcHwc, h, w, c, outW, outH, 0, 0, outW, outH, dstChw, outW, outH, 0, 0);
  }

  /**
   * Renders the window {@code [rx, rx + rw) x [ry, ry + rh)} of the source resized to {@code tw x th} (the spec's
   * interpolation; its size is ignored) into {@code dstChw}, a {@code c x dstH x dstW} float image, with the
   * window's top-left corner at {@code (dx, dy)}. Pixels outside the window are not touched. This is how a mosaic
   * places a cropped, resized tile onto its canvas without materializing the tile.
   *
   * @throws IllegalArgumentException if the window is not inside the resized image or does not fit the canvas
   */
  public void applyRegion(byte[] srcHwc, int h, int w, int c, int tw, int th, int rx, int ry, int rw, int rh,
      float[] dst, int dstW, int dstH, int dx, int dy) {
    float[] dstChw = dst;
    checkSource(srcHwc, h, w, c);
    normalize.spec().checkChannels(c);
    if (tw <= 0 || th <= 0 || rw < 0 || rh < 0 || rx < 0 || ry < 0 || rx + rw > tw || ry + rh > th
        || dx < 0 || dy < 0 || dx + rw > dstW || dy + rh > dstH || dstChw == null
        || dstChw.length != (long) dstW * dstH * c) {
      throw new IllegalArgumentException("resize-normalize window [" + rx + ", " + (rx + rw) + ") x [" + ry + ", "
          + (ry + rh) + ") of a " + tw + "x" + th + " image placed at (" + dx + ", " + dy + ") must lie inside both "
          + "the resized image and the " + dstW + "x" + dstH + "x" + c + " CHW canvas (" + (dstChw == null ? "null"
          : dstChw.length + " floats") + ").");
    }
    if (rw == 0 || rh == 0) {
      return;
    }
    if (resize.interpolation() != Interpolation.BILINEAR) {
      nearestRegion(srcHwc, h, w, c, tw, th, rx, ry, rw, rh, dst, dstW, dstH, dx, dy);
      return;
    }
    prepareColumns(w, tw, c, rx, rw);
    prepareRows(h, th);
    if (vector) {
      blockRegion(srcHwc, w, c, ry, rw, rh, dst, dstW, dstH, dx, dy);
      return;
    }
    int srcStride = w * c;
    int plane = dstW * dstH;
    // Horizontal pass per source row, cached: rows[slot] holds the window's columns of one source row, planar
    // (channel k at k * rw), scaled by 2^11. Consecutive output rows mostly share source rows.
    int rowLen = rw * c;
    ensureRowBuffers(rowLen);
    int[] ra = rowA;
    int[] rb = rowB;
    int ia = -1;
    int ib = -1;
    int[] v = blend;
    for (int y = ry; y < ry + rh; y++) {
      int sy0 = ysrc0[y];
      int sy1 = ysrc1[y];
      if (ia != sy0) {
        if (ib == sy0) {
          int[] t = ra;
          ra = rb;
          rb = t;
          ib = ia;
        } else {
          horizontal(srcHwc, sy0 * srcStride, c, rx, rw, ra);
        }
        ia = sy0;
      }
      if (ib != sy1) {
        horizontal(srcHwc, sy1 * srcStride, c, rx, rw, rb);
        ib = sy1;
      }
      verticalBlend(ra, rb, yb0[y], yb1[y], v, rowLen);
      int dRow = (dy + y - ry) * dstW + dx;
      for (int k = 0; k < c; k++) {
        float[] l = normalize.lutOf(k);
        int p = k * plane + dRow;
        int q = k * rw;
        for (int x = 0; x < rw; x++) {
          dst[p + x] = l[v[q + x]];
        }
      }
    }
    rowA = ra;
    rowB = rb;
  }

  /** {@link #applyRegion}'s bilinear loop with the SIMD passes: the same row cache, rows in block layout. */
  private void blockRegion(byte[] src, int w, int c, int ry, int rw, int rh, float[] dst, int dstW, int dstH,
      int dx, int dy) {
    int srcStride = w * c;
    int plane = dstW * dstH;
    int rowLen = ResizeNormalizeVector.rowLength(rw, c);
    ensureRowBuffers(rowLen);
    int[] ra = rowA;
    int[] rb = rowB;
    int ia = -1;
    int ib = -1;
    // The 2:1 RGB column pass runs inside ResizeNormalizeVector.row (given the row's start); others run here.
    boolean vectorColumns = halfColumns && c == 3;
    boolean fused = vectorColumns && ResizeNormalizeVector.FUSED_2X2;
    for (int y = ry; y < ry + rh; y++) {
      int sy0 = ysrc0[y];
      int sy1 = ysrc1[y];
      if (fused && sy1 == sy0 + 1 && yb0[y] == COEF_SCALE / 2 && yb1[y] == COEF_SCALE / 2) {
        // Exactly 2:1 rows too: both passes in one, from the source rows (the row cache is not filled).
        ResizeNormalizeVector.row2x2(src, sy0 * srcStride + xofs0[0], sy1 * srcStride + xofs0[0], rw, normalize,
            dst, (dy + y - ry) * dstW + dx, plane);
        ia = -1;
        ib = -1;
        continue;
      }
      int fillA = -1;
      int fillB = -1;
      if (ia != sy0) {
        if (ib == sy0) {
          int[] t = ra;
          ra = rb;
          rb = t;
          ib = ia;
        } else {
          fillA = sy0 * srcStride + xofs0[0];
        }
        ia = sy0;
      }
      if (ib != sy1) {
        fillB = sy1 * srcStride + xofs0[0];
        ib = sy1;
      }
      if (!vectorColumns) {
        if (fillA >= 0) {
          horizontalBlocks(src, sy0 * srcStride, c, rw, ra);
        }
        if (fillB >= 0) {
          horizontalBlocks(src, sy1 * srcStride, c, rw, rb);
        }
        fillA = -1;
        fillB = -1;
      }
      ResizeNormalizeVector.row(src, fillA, fillB, ra, rb, rw, yb0[y], yb1[y], c, normalize, dst,
          (dy + y - ry) * dstW + dx, plane);
    }
    rowA = ra;
    rowB = rb;
  }

  /** {@link #horizontal} into the block layout of {@link ResizeNormalizeVector}. */
  private void horizontalBlocks(byte[] src, int rowStart, int c, int rw, int[] out) {
    int[] o0 = xofs0;
    int[] o1 = xofs1;
    int[] wa = xa0;
    int[] wb = xa1;
    int block = ResizeNormalizeVector.BLOCK;
    for (int x = 0; x < rw; x++) {
      int s = rowStart + o0[x];
      int t = rowStart + o1[x];
      int o = x / block * block * c + x % block;
      for (int k = 0; k < c; k++) {
        out[o + k * block] = (src[s + k] & 0xFF) * wa[x] + (src[t + k] & 0xFF) * wb[x];
      }
    }
  }

  // Same-index int loop: C2 vectorizes it. The result is a u8 level, 0..255 (weights are non-negative and sum
  // to 2^11 per axis, so the blend never exceeds 255 * 2^22 before rounding).
  private static void verticalBlend(int[] a, int[] b, int b0, int b1, int[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = (a[i] * b0 + b[i] * b1 + ROUND_DELTA) >>> ROUND_SHIFT;
    }
  }

  private void horizontal(byte[] src, int rowStart, int c, int rx, int rw, int[] out) {
    int[] o0 = xofs0;
    int[] o1 = xofs1;
    int[] wa = xa0;
    int[] wb = xa1;
    if (c == 3) {
      int q1 = rw;
      int q2 = 2 * rw;
      // The two taps are neighbours (or the same pixel at the right edge, where a1 = 0), so one 8-byte
      // little-endian read holds both: R0 G0 B0 R1 G1 B1. Near the end of the array fall back to byte reads.
      if (halfColumns) {
        // Exactly 2:1 columns: output column x blends source columns 2x and 2x+1 with weights 1024 each.
        int s = rowStart + o0[0];
        for (int x = 0; x < rw; x++, s += 6) {
          out[x] = ((src[s] & 0xFF) + (src[s + 3] & 0xFF)) << 10;
          out[q1 + x] = ((src[s + 1] & 0xFF) + (src[s + 4] & 0xFF)) << 10;
          out[q2 + x] = ((src[s + 2] & 0xFF) + (src[s + 5] & 0xFF)) << 10;
        }
        return;
      }
      int limit = src.length - 8;
      for (int x = 0; x < rw; x++) {
        int s = rowStart + o0[x];
        int a0 = wa[x];
        int a1 = wb[x];
        if (s <= limit && o1[x] - o0[x] == 3) {
          long px = (long) LONG_LE.get(src, s);
          out[x] = ((int) px & 0xFF) * a0 + ((int) (px >>> 24) & 0xFF) * a1;
          out[q1 + x] = ((int) (px >>> 8) & 0xFF) * a0 + ((int) (px >>> 32) & 0xFF) * a1;
          out[q2 + x] = ((int) (px >>> 16) & 0xFF) * a0 + ((int) (px >>> 40) & 0xFF) * a1;
        } else {
          int t = rowStart + o1[x];
          out[x] = (src[s] & 0xFF) * a0 + (src[t] & 0xFF) * a1;
          out[q1 + x] = (src[s + 1] & 0xFF) * a0 + (src[t + 1] & 0xFF) * a1;
          out[q2 + x] = (src[s + 2] & 0xFF) * a0 + (src[t + 2] & 0xFF) * a1;
        }
      }
    } else {
      for (int k = 0; k < c; k++) {
        int q = k * rw;
        for (int x = 0; x < rw; x++) {
          out[q + x] = (src[rowStart + o0[x] + k] & 0xFF) * wa[x] + (src[rowStart + o1[x] + k] & 0xFF) * wb[x];
        }
      }
    }
  }

  private void nearestRegion(byte[] src, int h, int w, int c, int tw, int th, int rx, int ry, int rw, int rh,
      float[] dst, int dstW, int dstH, int dx, int dy) {
    double scaleX = 1.0 / ((double) tw / w);
    double scaleY = 1.0 / ((double) th / h);
    int plane = dstW * dstH;
    for (int y = ry; y < ry + rh; y++) {
      int rowStart = resize.interpolation().nearestSource(y, scaleY, h) * w * c;
      int dRow = (dy + y - ry) * dstW + dx - rx;
      for (int k = 0; k < c; k++) {
        float[] l = normalize.lutOf(k);
        int p = k * plane + dRow;
        for (int x = rx; x < rx + rw; x++) {
          int sx = resize.interpolation().nearestSource(x, scaleX, w);
          dst[p + x] = l[src[rowStart + sx * c + k] & 0xFF];
        }
      }
    }
  }

  /** Column tables for the window's columns {@code rx..rx+rw-1}, indexed from 0. */
  private void prepareColumns(int w, int tw, int c, int rx, int rw) {
    if (w == tabSrcW && tw == tabTw && c == tabC && rx == tabRx && rw == tabRw) {
      return;
    }
    xofs0 = new int[rw];
    xofs1 = new int[rw];
    BilinearTaps taps = BilinearTaps.of(w, tw, rx, rw);
    for (int i = 0; i < rw; i++) {
      xofs0[i] = taps.src0[i] * c;
      xofs1[i] = taps.src1[i] * c;
    }
    xa0 = taps.weight0;
    xa1 = taps.weight1;
    boolean half = true;
    for (int i = 0; i < rw && half; i++) {
      half = xa0[i] == COEF_SCALE / 2 && xa1[i] == COEF_SCALE / 2 && xofs0[i] == xofs0[0] + 2 * c * i
          && xofs1[i] == xofs0[i] + c;
    }
    halfColumns = half;
    tabRx = rx;
    tabRw = rw;
    tabSrcW = w;
    tabTw = tw;
    tabC = c;
  }

  private void prepareRows(int h, int th) {
    if (h == tabSrcH && th == tabTh) {
      return;
    }
    BilinearTaps taps = BilinearTaps.of(h, th, 0, th);
    ysrc0 = taps.src0;
    ysrc1 = taps.src1;
    yb0 = taps.weight0;
    yb1 = taps.weight1;
    tabSrcH = h;
    tabTh = th;
  }

  private static void checkSource(byte[] src, int h, int w, int c) {
    if (h <= 0 || w <= 0 || c <= 0) {
      throw new IllegalArgumentException("resize-normalize source must have positive height, width and channels, "
          + "but was " + h + "x" + w + "x" + c + ".");
    }
    long len = (long) h * w * c;
    if (src == null || src.length != len) {
      throw new IllegalArgumentException("resize-normalize source must hold h*w*c = " + h + "*" + w + "*" + c
          + " = " + len + " bytes (HWC), but held " + (src == null ? "null" : src.length) + ".");
    }
  }

  /** Grows the two cached source-row buffers and the blend row to hold {@code rowLen} values. */
  private void ensureRowBuffers(int rowLen) {
    if (rowA.length < rowLen) {
      rowA = new int[rowLen];
      rowB = new int[rowLen];
      blend = new int[rowLen];
    }
  }
}
