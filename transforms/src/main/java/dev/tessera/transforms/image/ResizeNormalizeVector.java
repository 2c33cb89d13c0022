package dev.tessera.transforms.image;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD passes of {@link ResizeNormalize} ({@code jdk.incubator.vector}), at the width {@link SimdWidth#bits()}
 * chose for this JVM (512, 256 or 128 bits). Only loaded when that module is in the boot layer
 * ({@code --add-modules=jdk.incubator.vector}) and a width was chosen; {@link ResizeNormalize} keeps the scalar
 * passes for the rest. Same integers, same floats as the scalar passes: only the order of the work changes.
 *
 * <p>Rows are kept in a block layout: output columns in blocks of {@link #BLOCK} (a vector's bits / 64: 8, 4 or
 * 2), each block holding its {@code BLOCK} values of channel 0, then of channel 1, ...: entry
 * {@code (x / BLOCK) * BLOCK * c + k * BLOCK + x % BLOCK}. A block of one channel is then one int vector of half
 * the width, converted to {@code BLOCK} doubles (a full vector) and stored as {@code BLOCK} floats into its plane.
 *
 * <p>Why these shapes: the JDK 17 vector intrinsics make a byte permute within one vector cheap ({@code vpermb}
 * at 512 bits with AVX-512 VBMI, {@code vpshufb} with a lane swap at 256 bits on AVX2, {@code pshufb} at 128 bits),
 * but conversions of an upper part of a vector ({@code convertShape(..., part > 0)}) and gathers slow. So the 2:1
 * horizontal pass permutes both source bytes of an output column straight into one int lane (bytes 0 and 2, then
 * sums them with a multiply), one load and two permutes per block, and every conversion starts from part 0. The
 * species are static final (fixed at class initialization), which C2 needs to compile the vector operations to
 * instructions.
 */
final class ResizeNormalizeVector {
  /** Bits per vector: {@link SimdWidth#bits()}. */
  static final int BITS = SimdWidth.bits();
  /** Output columns per block. */
  static final int BLOCK = BITS / 64;

  private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(BITS));
  private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, VectorShape.forBitSize(BITS));
  private static final VectorSpecies<Integer> BLOCK_INTS =
      VectorSpecies.of(int.class, VectorShape.forBitSize(BITS / 2));
  private static final VectorSpecies<Double> DOUBLES = VectorSpecies.of(double.class, VectorShape.forBitSize(BITS));
  private static final VectorSpecies<Float> BLOCK_FLOATS =
      VectorSpecies.of(float.class, VectorShape.forBitSize(BITS / 2));
  private static final int ROUND_SHIFT = 22;
  private static final int ROUND_DELTA = 1 << (ROUND_SHIFT - 1);

  // 2 * BLOCK RGB source pixels (6 * BLOCK bytes) -> 2 * BLOCK int lanes, each with the even tap (source column
  // 2x) in byte 0 and the odd tap (2x + 1) in byte 2. Lanes 0..BLOCK-1 belong to output columns 0..BLOCK-1, lanes
  // BLOCK.. too: RED_GREEN = [R | G], BLUE = [B | B] (the copy is never read).
  private static final VectorShuffle<Byte> RED_GREEN = tapShuffle(0, 1);
  private static final VectorShuffle<Byte> BLUE = tapShuffle(2, 2);
  // Both: RED_GREEN's taps in bytes 0 and 2 of each lane, BLUE's in bytes 1 and 3 (one permute per source row).
  private static final VectorShuffle<Byte> ALL_TAPS = allTaps();
  // Whether rgbPairs runs (see there).
  private static final boolean PAIRS = BITS < 512;
  /** Whether {@link #row2x2} may be used. */
  static final boolean FUSED_2X2 = BITS < 512;
  // Int lanes rotated by BLOCK: the upper half of a vector moved to the lower.
  private static final VectorShuffle<Integer> UPPER = VectorShuffle.iota(INTS, BLOCK, 1, true);
  // The bytes of each int lane the taps are not in.
  private static final int TAP_BYTES = 0x00FF00FF;

  private ResizeNormalizeVector() {}

  /** Length of a block-layout row of {@code rw} columns: whole blocks plus the {@code BLOCK} ints a store spills. */
  static int rowLength(int rw, int c) {
    return (rw + BLOCK - 1) / BLOCK * BLOCK * c + 2 * BLOCK;
  }

  /**
   * One output row. First refreshes the cached source rows whose start offset is given ({@code fillA},
   * {@code fillB} {@code >= 0}: the byte offset of the window's first source pixel in that row) with the exact 2:1
   * RGB horizontal pass: block-layout entry of column {@code x}, channel {@code k} = (source column {@code 2x} +
   * source column {@code 2x+1}) {@code << 10}, both taps of weight 2^10 as in the scalar pass (callers with other
   * column taps fill the rows themselves and pass -1). Then blends the two rows vertically
   * ({@code (a * b0 + b * b1 + 2^21) >>> 22}, a level 0..255) and writes each level normalized as
   * {@code (float) (level * scale + bias)} into its channel plane at {@code dRow}. The caller has checked that this
   * affine form gives the normalize table's floats for every level ({@link Normalize#affineExact}); the last
   * partial block reads the table itself.
   *
   * <p>One method on purpose: its bytecode is over C2's limit for inlining hot callees ({@code FreqInlineSize},
   * 325), so it stays a compilation unit of its own. Inlined into the row loop, the vector code exceeded C2's node
   * budget and ran boxed, five times slower.
   */
  static void row(byte[] src, int fillA, int fillB, int[] ra, int[] rb, int rw, int b0, int b1, int c,
      Normalize normalize, float[] dst, int dRow, int plane) {
    for (int r = 0; r < 2; r++) {
      int start = r == 0 ? fillA : fillB;
      if (start < 0) {
        continue;
      }
      int[] out = r == 0 ? ra : rb;
      int x = 0;
      for (; x + BLOCK <= rw && start + 6 * x + BYTES.length() <= src.length; x += BLOCK) {
        ByteVector px = ByteVector.fromArray(BYTES, src, start + 6 * x);
        int o = x * 3;
        taps(px, RED_GREEN).intoArray(out, o);
        // The upper BLOCK lanes spill into the next block's channel 0, which that block overwrites (or the slack).
        taps(px, BLUE).intoArray(out, o + 2 * BLOCK);
      }
      for (; x < rw; x++) {
        int s = start + 6 * x;
        int o = (x & ~(BLOCK - 1)) * 3 + (x & (BLOCK - 1));
        for (int k = 0; k < 3; k++) {
          out[o + k * BLOCK] = ((src[s + k] & 0xFF) + (src[s + 3 + k] & 0xFF)) << 10;
        }
      }
    }
    int blocks = rw / BLOCK;
    int blockLen = BLOCK * c;
    int done = PAIRS && c == 3 ? rgbPairs(ra, rb, blocks / 2, b0, b1, normalize, dst, dRow, plane) : 0;
    for (int k = 0; k < c; k++) {
      double scale = normalize.affineScale(k);
      double bias = normalize.affineBias(k);
      int p = k * plane + dRow;
      for (int j = done, o = done * blockLen + k * BLOCK; j < blocks; j++, o += blockLen) {
        IntVector level = IntVector.fromArray(BLOCK_INTS, ra, o).mul(b0)
            .add(IntVector.fromArray(BLOCK_INTS, rb, o).mul(b1))
            .add(ROUND_DELTA)
            .lanewise(VectorOperators.LSHR, ROUND_SHIFT);
        DoubleVector v = (DoubleVector) level.convertShape(VectorOperators.I2D, DOUBLES, 0);
        FloatVector f = (FloatVector) v.mul(scale).add(bias).convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0);
        f.intoArray(dst, p + j * BLOCK);
      }
      float[] lut = normalize.lutOf(k);
      for (int x = blocks * BLOCK, o = blocks * blockLen + k * BLOCK; x < rw; x++, o++) {
        dst[p + x] = lut[(ra[o] * b0 + rb[o] * b1 + ROUND_DELTA) >>> ROUND_SHIFT];
      }
    }
  }

  /**
   * The vertical pass and normalize of RGB rows for the first {@code pairs} pairs of blocks, at full width: two
   * blocks are six runs of {@code BLOCK} entries of one channel, so three full int vectors of two runs each
   * ({@code [R | G]}, {@code [B | R']}, {@code [G' | B']}). That halves the integer work of the per-block loop; the
   * upper run of each vector is rotated down (one lane permute) so that its conversion starts from part 0.
   * Returns the number of blocks done. Written out on purpose: a helper taking a vector is boxed wherever C2 does
   * not inline it, and this method is over C2's limit for inlining hot callees, so it stays a compilation unit of
   * its own. Used below 512 bits only: at 512 bits the per-block loop already converts 8 lanes at a time, and in
   * {@link MosaicKernel} tests this method ran over C2's inlining node budget there (boxed, three times slower).
   */
  private static int rgbPairs(int[] ra, int[] rb, int pairs, int b0, int b1, Normalize normalize, float[] dst,
      int dRow, int plane) {
    double[] affine = rgbAffine(normalize);
    for (int j = 0; j < pairs; j++) {
      int o = j * 6 * BLOCK;
      int p0 = dRow + j * 2 * BLOCK;
      int p1 = p0 + BLOCK;
      IntVector rg = IntVector.fromArray(INTS, ra, o).mul(b0).add(IntVector.fromArray(INTS, rb, o).mul(b1))
          .add(ROUND_DELTA).lanewise(VectorOperators.LSHR, ROUND_SHIFT);
      IntVector br = IntVector.fromArray(INTS, ra, o + 2 * BLOCK).mul(b0)
          .add(IntVector.fromArray(INTS, rb, o + 2 * BLOCK).mul(b1)).add(ROUND_DELTA)
          .lanewise(VectorOperators.LSHR, ROUND_SHIFT);
      IntVector gb = IntVector.fromArray(INTS, ra, o + 4 * BLOCK).mul(b0)
          .add(IntVector.fromArray(INTS, rb, o + 4 * BLOCK).mul(b1)).add(ROUND_DELTA)
          .lanewise(VectorOperators.LSHR, ROUND_SHIFT);
      ((FloatVector) ((DoubleVector) rg.convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[0])
          .add(affine[3]).convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, p0);
      ((FloatVector) ((DoubleVector) rg.rearrange(UPPER).convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[1])
          .add(affine[4]).convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, plane + p0);
      ((FloatVector) ((DoubleVector) br.convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[2])
          .add(affine[5]).convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, 2 * plane + p0);
      ((FloatVector) ((DoubleVector) br.rearrange(UPPER).convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[0])
          .add(affine[3]).convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, p1);
      ((FloatVector) ((DoubleVector) gb.convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[1])
          .add(affine[4]).convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, plane + p1);
      ((FloatVector) ((DoubleVector) gb.rearrange(UPPER).convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[2])
          .add(affine[5]).convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, 2 * plane + p1);
    }
    return 2 * pairs;
  }

  /**
   * One output row of an exact 2:1 by 2:1 RGB resize (a mosaic's tiles: column and row weights all 2^10), straight
   * from the two source rows, without the row buffers: each level is {@code (p00 + p01 + p10 + p11 + 2) >> 2} of its
   * four source bytes, which is what the two passes give ({@code ((s << 20) + 2^21) >>> 22}). The taps of both rows
   * are permuted into int lanes as in the 2:1 column pass and added before the multiply that sums each lane's two
   * halves. {@code start0} and {@code start1} are the byte offsets of the window's first source pixel in the two
   * rows. Below 512 bits only ({@link #FUSED_2X2}), for the reason given at {@link #rgbPairs}.
   */
  static void row2x2(byte[] src, int start0, int start1, int rw, Normalize normalize, float[] dst, int dRow,
      int plane) {
    double[] affine = rgbAffine(normalize);
    int last = Math.max(start0, start1);
    int x = 0;
    for (; x + BLOCK <= rw && last + 6 * x + BYTES.length() <= src.length; x += BLOCK) {
      ByteVector a = ByteVector.fromArray(BYTES, src, start0 + 6 * x);
      ByteVector b = ByteVector.fromArray(BYTES, src, start1 + 6 * x);
      IntVector va = a.rearrange(ALL_TAPS).reinterpretAsInts();
      IntVector vb = b.rearrange(ALL_TAPS).reinterpretAsInts();
      IntVector rg = va.and(TAP_BYTES).add(vb.and(TAP_BYTES)).mul(0x10001)
          .lanewise(VectorOperators.LSHR, 16).add(2).lanewise(VectorOperators.LSHR, 2);
      IntVector bb = va.lanewise(VectorOperators.LSHR, 8).and(TAP_BYTES)
          .add(vb.lanewise(VectorOperators.LSHR, 8).and(TAP_BYTES)).mul(0x10001)
          .lanewise(VectorOperators.LSHR, 16).add(2).lanewise(VectorOperators.LSHR, 2);
      int p = dRow + x;
      ((FloatVector) ((DoubleVector) rg.convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[0]).add(affine[3])
          .convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, p);
      ((FloatVector) ((DoubleVector) rg.rearrange(UPPER).convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[1])
          .add(affine[4]).convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, plane + p);
      ((FloatVector) ((DoubleVector) bb.convertShape(VectorOperators.I2D, DOUBLES, 0)).mul(affine[2]).add(affine[5])
          .convertShape(VectorOperators.D2F, BLOCK_FLOATS, 0)).intoArray(dst, 2 * plane + p);
    }
    for (; x < rw; x++) {
      int a = start0 + 6 * x;
      int b = start1 + 6 * x;
      for (int k = 0; k < 3; k++) {
        int sum = (src[a + k] & 0xFF) + (src[a + 3 + k] & 0xFF) + (src[b + k] & 0xFF) + (src[b + 3 + k] & 0xFF);
        dst[k * plane + dRow + x] = normalize.lutOf(k)[(sum + 2) >>> 2];
      }
    }
  }

  /** Scale and bias of the three channels: {@code {s0, s1, s2, z0, z1, z2}}. */
  private static double[] rgbAffine(Normalize n) {
    return new double[] {n.affineScale(0), n.affineScale(1), n.affineScale(2), n.affineBias(0), n.affineBias(1),
        n.affineBias(2)};
  }

  /**
   * The sum of each int lane's two taps, scaled by 2^10: a lane {@code lo + (hi << 16)} times {@code 0x10001} has
   * {@code lo + hi} (at most 510) in bits 16-31, shifted to bit 10; the bits of {@code lo} that land below bit 10
   * are masked off.
   */
  private static IntVector taps(ByteVector px, VectorShuffle<Byte> shuffle) {
    return px.rearrange(shuffle).reinterpretAsInts().and(TAP_BYTES).mul(0x10001)
        .lanewise(VectorOperators.LSHR, 6).and(0x3FF << 10);
  }

  private static VectorShuffle<Byte> allTaps() {
    int[] index = new int[BYTES.length()];
    int[] redGreen = RED_GREEN.toArray();
    int[] blue = BLUE.toArray();
    for (int l = 0; l < INTS.length(); l++) {
      index[4 * l] = redGreen[4 * l];
      index[4 * l + 1] = blue[4 * l];
      index[4 * l + 2] = redGreen[4 * l + 2];
      index[4 * l + 3] = blue[4 * l + 2];
    }
    return VectorShuffle.fromArray(BYTES, index, 0);
  }

  /**
   * The shuffle putting, in int lane {@code l}, source bytes of output column {@code x = l % BLOCK} into byte 0
   * (channel {@code k} of column {@code 2x}) and byte 2 (channel {@code k} of column {@code 2x + 1}), with
   * {@code k = low} for the lower {@code BLOCK} lanes and {@code high} for the upper. Bytes 1 and 3 take byte 0
   * (masked off later).
   */
  private static VectorShuffle<Byte> tapShuffle(int low, int high) {
    int[] index = new int[BYTES.length()];
    if (INTS.length() != 2 * BLOCK || 6 * BLOCK > index.length) {
      throw new AssertionError(BITS + "-bit vectors: " + INTS.length() + " int lanes, block " + BLOCK);
    }
    for (int l = 0; l < INTS.length(); l++) {
      int first = 6 * (l % BLOCK) + (l < BLOCK ? low : high);
      index[4 * l] = first;
      index[4 * l + 2] = first + 3;
    }
    return VectorShuffle.fromArray(BYTES, index, 0);
  }
}
