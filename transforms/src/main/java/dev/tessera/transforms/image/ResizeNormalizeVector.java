package dev.tessera.transforms.image;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD passes of {@link ResizeNormalize} ({@code jdk.incubator.vector}). Only loaded when that module is in the
 * boot layer ({@code --add-modules=jdk.incubator.vector}); {@link ResizeNormalize} keeps the scalar passes for
 * JVMs without it. Same integers, same floats as the scalar passes: only the order of the work changes.
 *
 * <p>Rows are kept in a block layout: output columns in blocks of {@link #BLOCK}, each block holding its
 * {@code BLOCK} values of channel 0, then of channel 1, ...: entry {@code (x / 8) * 8c + k * 8 + x % 8}. A block of
 * one channel is then one 8-lane vector, converted to 8 doubles and stored as 8 floats into its channel plane.
 *
 * <p>Why these shapes: the JDK 17 vector intrinsics make a byte permute across 64 bytes ({@code vpermb}) cheap, but
 * conversions of an upper part of a vector ({@code convertShape(..., part > 0)}) and gathers slow. So the 2:1
 * horizontal pass permutes each source byte straight into the low byte of an int lane (then masks it), and every
 * conversion starts from part 0.
 */
final class ResizeNormalizeVector {
  /** Output columns per block. */
  static final int BLOCK = 8;

  private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_512;
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;
  private static final VectorSpecies<Integer> INTS8 = IntVector.SPECIES_256;
  private static final VectorSpecies<Double> DOUBLES8 = DoubleVector.SPECIES_512;
  private static final VectorSpecies<Float> FLOATS8 = FloatVector.SPECIES_256;
  private static final int ROUND_SHIFT = 22;
  private static final int ROUND_DELTA = 1 << (ROUND_SHIFT - 1);

  // 16 RGB source pixels (48 bytes) -> int lanes, the wanted byte in the low byte of each lane. Lanes 0-7 belong
  // to output columns 0-7, lanes 8-15 too (second channel or a copy): EVEN + ODD = [R sums | G sums] and
  // B_EVEN_ODD + B_ODD_EVEN = [B sums | B sums].
  private static final VectorShuffle<Byte> EVEN = intLaneShuffle(l -> l < 8 ? 6 * l : 6 * (l - 8) + 1);
  private static final VectorShuffle<Byte> ODD = intLaneShuffle(l -> l < 8 ? 6 * l + 3 : 6 * (l - 8) + 4);
  private static final VectorShuffle<Byte> B_EVEN_ODD = intLaneShuffle(l -> l < 8 ? 6 * l + 2 : 6 * (l - 8) + 5);
  private static final VectorShuffle<Byte> B_ODD_EVEN = intLaneShuffle(l -> l < 8 ? 6 * l + 5 : 6 * (l - 8) + 2);

  private ResizeNormalizeVector() {}

  /** Whether this CPU runs the 512-bit shapes used here in hardware (else the Vector API would emulate them). */
  static boolean fast() {
    return IntVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
  }

  /** Length of a block-layout row of {@code rw} columns: whole blocks plus 8 ints a 16-lane store may spill. */
  static int rowLength(int rw, int c) {
    return (rw + BLOCK - 1) / BLOCK * BLOCK * c + 16;
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
        IntVector even = px.rearrange(EVEN).reinterpretAsInts().and(0xFF);
        IntVector odd = px.rearrange(ODD).reinterpretAsInts().and(0xFF);
        IntVector blue0 = px.rearrange(B_EVEN_ODD).reinterpretAsInts().and(0xFF);
        IntVector blue1 = px.rearrange(B_ODD_EVEN).reinterpretAsInts().and(0xFF);
        int o = x * 3;
        even.add(odd).lanewise(VectorOperators.LSHL, 10).intoArray(out, o);
        // Lanes 8-15 spill into the next block's channel 0, which that block overwrites (or the row's slack).
        blue0.add(blue1).lanewise(VectorOperators.LSHL, 10).intoArray(out, o + 2 * BLOCK);
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
    for (int k = 0; k < c; k++) {
      double scale = normalize.affineScale(k);
      double bias = normalize.affineBias(k);
      int p = k * plane + dRow;
      for (int j = 0, o = k * BLOCK; j < blocks; j++, o += blockLen) {
        IntVector level = IntVector.fromArray(INTS8, ra, o).mul(b0)
            .add(IntVector.fromArray(INTS8, rb, o).mul(b1))
            .add(ROUND_DELTA)
            .lanewise(VectorOperators.LSHR, ROUND_SHIFT);
        DoubleVector v = (DoubleVector) level.convertShape(VectorOperators.I2D, DOUBLES8, 0);
        FloatVector f = (FloatVector) v.mul(scale).add(bias).convertShape(VectorOperators.D2F, FLOATS8, 0);
        f.intoArray(dst, p + j * BLOCK);
      }
      float[] lut = normalize.lutOf(k);
      for (int x = blocks * BLOCK, o = blocks * blockLen + k * BLOCK; x < rw; x++, o++) {
        dst[p + x] = lut[(ra[o] * b0 + rb[o] * b1 + ROUND_DELTA) >>> ROUND_SHIFT];
      }
    }
  }

  private interface LaneSource {
    int byteOf(int intLane);
  }

  private static VectorShuffle<Byte> intLaneShuffle(LaneSource source) {
    int[] index = new int[BYTES.length()];
    for (int j = 0; j < index.length; j++) {
      index[j] = source.byteOf(j / 4);
    }
    if (INTS.length() * 4 != index.length) {
      throw new AssertionError("int lanes per 64 bytes: " + INTS.length());
    }
    return VectorShuffle.fromArray(BYTES, index, 0);
  }
}
