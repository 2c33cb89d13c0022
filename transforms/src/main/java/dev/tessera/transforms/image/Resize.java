package dev.tessera.transforms.image;

/**
 * The resize kernel: {@code u8} HWC images to a new width and height, with OpenCV's {@code cv::resize} semantics.
 *
 * <ul>
 *   <li>{@link Interpolation#BILINEAR} is {@code INTER_LINEAR}: the source coordinate of output column {@code x} is
 *       {@code (x + 0.5) * srcW / dstW - 0.5} (half-pixel centres), clamped to the image, and the two neighbours
 *       are blended with 11-bit fixed-point weights per axis, rounded to the nearest level, exactly as OpenCV's
 *       scalar path does. Downscaling does not low-pass filter first (neither does OpenCV's {@code INTER_LINEAR}).
 *   <li>{@link Interpolation#NEAREST} is {@code INTER_NEAREST}: output column {@code x} copies source column
 *       {@code min(floor(x * srcW / dstW), srcW - 1)}.
 *   <li>{@link Interpolation#NEAREST_EXACT} is {@code INTER_NEAREST_EXACT}: source column
 *       {@code min(floor((x + 0.5) * srcW / dstW), srcW - 1)}; for masks, aligned with a bilinear image.
 * </ul>
 *
 * <p>Deterministic; allocation per call is a few arrays of the output's width, independent of the image size.
 * Not thread-confined: each call uses only its own buffers.
 */
public final class Resize {
  private static final int ROUND_SHIFT = 2 * BilinearTaps.COEF_BITS;
  private static final int ROUND_DELTA = 1 << (ROUND_SHIFT - 1);

  private Resize() {}

  /**
   * Resizes {@code srcHwc} ({@code h x w x c} bytes, row-major, channels interleaved) into {@code dst}
   * ({@code outH x outW x c} bytes).
   *
   * <pre>{@code
   * byte[] dst = new byte[32 * 32 * 3];
   * Resize.apply(src, 480, 640, 3, 32, 32, Interpolation.BILINEAR, dst);
   * }</pre>
   *
   * @throws IllegalArgumentException if a size is not positive or an array has the wrong length
   */
  public static void apply(byte[] srcHwc, int h, int w, int c, int outW, int outH, Interpolation interpolation,
      byte[] dst) {
    checkArguments(srcHwc, h, w, c, outW, outH, interpolation, dst);
    if (h == outH && w == outW) {
      System.arraycopy(srcHwc, 0, dst, 0, h * w * c);
      return;
    }
    if (interpolation != Interpolation.BILINEAR) {
      nearest(srcHwc, h, w, c, outW, outH, interpolation, dst);
    } else {
      bilinear(srcHwc, h, w, c, outW, outH, dst);
    }
  }

  private static void nearest(byte[] src, int h, int w, int c, int outW, int outH, Interpolation mode,
      byte[] dst) {
    // OpenCV computes the scale as 1 / (dst / src) in doubles; doing the same keeps floor() on the same side.
    double scaleX = 1.0 / ((double) outW / w);
    double scaleY = 1.0 / ((double) outH / h);
    int[] xofs = new int[outW];
    for (int x = 0; x < outW; x++) {
      xofs[x] = mode.nearestSource(x, scaleX, w) * c;
    }
    int srcStride = w * c;
    int d = 0;
    for (int y = 0; y < outH; y++) {
      int rowStart = mode.nearestSource(y, scaleY, h) * srcStride;
      if (c == 1) {
        for (int x = 0; x < outW; x++) {
          dst[d++] = src[rowStart + xofs[x]];
        }
      } else if (c == 3) {
        for (int x = 0; x < outW; x++) {
          int s = rowStart + xofs[x];
          dst[d] = src[s];
          dst[d + 1] = src[s + 1];
          dst[d + 2] = src[s + 2];
          d += 3;
        }
      } else {
        for (int x = 0; x < outW; x++) {
          System.arraycopy(src, rowStart + xofs[x], dst, d, c);
          d += c;
        }
      }
    }
  }

  private static void bilinear(byte[] src, int h, int w, int c, int outW, int outH, byte[] dst) {
    int rowLen = outW * c;
    // Per output element (x, channel): offsets of the two source samples within a row and their weights.
    int[] ofs0 = new int[rowLen];
    int[] ofs1 = new int[rowLen];
    int[] alpha0 = new int[rowLen];
    int[] alpha1 = new int[rowLen];
    BilinearTaps columns = BilinearTaps.of(w, outW, 0, outW);
    for (int x = 0; x < outW; x++) {
      for (int k = 0; k < c; k++) {
        int i = x * c + k;
        ofs0[i] = columns.src0[x] * c + k;
        ofs1[i] = columns.src1[x] * c + k;
        alpha0[i] = columns.weight0[x];
        alpha1[i] = columns.weight1[x];
      }
    }

    // Horizontal results of two source rows, scaled by 2^11; reused while consecutive output rows share them.
    int[] rowA = new int[rowLen];
    int[] rowB = new int[rowLen];
    int rowAIndex = -1;
    int rowBIndex = -1;
    int srcStride = w * c;
    BilinearTaps rows = BilinearTaps.of(h, outH, 0, outH);
    for (int y = 0; y < outH; y++) {
      int sy = rows.src0[y];
      int sy1 = rows.src1[y];
      int b0 = rows.weight0[y];
      int b1 = rows.weight1[y];

      if (rowAIndex != sy) {
        if (rowBIndex == sy) {
          int[] t = rowA;
          rowA = rowB;
          rowB = t;
          rowBIndex = rowAIndex;
        } else {
          horizontal(src, sy * srcStride, ofs0, ofs1, alpha0, alpha1, rowA);
        }
        rowAIndex = sy;
      }
      int d = y * rowLen;
      if (b1 == 0) {
        for (int i = 0; i < rowLen; i++) {
          dst[d + i] = toU8(rowA[i] * b0);
        }
        continue;
      }
      if (rowBIndex != sy1) {
        horizontal(src, sy1 * srcStride, ofs0, ofs1, alpha0, alpha1, rowB);
        rowBIndex = sy1;
      }
      for (int i = 0; i < rowLen; i++) {
        dst[d + i] = toU8(rowA[i] * b0 + rowB[i] * b1);
      }
    }
  }

  private static void horizontal(byte[] src, int rowStart, int[] ofs0, int[] ofs1, int[] alpha0, int[] alpha1,
      int[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (src[rowStart + ofs0[i]] & 0xFF) * alpha0[i] + (src[rowStart + ofs1[i]] & 0xFF) * alpha1[i];
    }
  }

  private static byte toU8(int fixed) {
    int v = (fixed + ROUND_DELTA) >> ROUND_SHIFT;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  private static void checkArguments(byte[] src, int h, int w, int c, int outW, int outH,
      Interpolation interpolation, byte[] dst) {
    if (h <= 0 || w <= 0 || c <= 0) {
      throw new IllegalArgumentException(
          "resize source must have positive height, width and channels, but was " + h + "x" + w + "x" + c + ".");
    }
    if (outW <= 0 || outH <= 0) {
      throw new IllegalArgumentException(
          "resize.width and resize.height must be positive, but were " + outW + "x" + outH + ".");
    }
    if (interpolation == null) {
      throw new IllegalArgumentException("resize.interpolation must be BILINEAR, NEAREST or NEAREST_EXACT, but was null.");
    }
    long srcLen = (long) h * w * c;
    if (src == null || src.length != srcLen) {
      throw new IllegalArgumentException("resize source must hold h*w*c = " + h + "*" + w + "*" + c + " = "
          + srcLen + " bytes (HWC), but held " + (src == null ? "null" : src.length) + ".");
    }
    long dstLen = (long) outH * outW * c;
    if (dst == null || dst.length != dstLen) {
      throw new IllegalArgumentException("resize destination must hold outH*outW*c = " + outH + "*" + outW + "*"
          + c + " = " + dstLen + " bytes (HWC), but held " + (dst == null ? "null" : dst.length) + ".");
    }
  }
}
