package dev.tessera.transforms.augment;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Where every random choice of an augmentation comes from: a generator that is a pure function of (experiment
 * seed, epoch, sample id, stream), so the same spec and seed give the same bytes on any runner, in any element
 * order, on any number of workers.
 *
 * <p>The 64-bit generator seed is {@code mix(mix(mix(seed) ^ epoch) ^ fnv1a64(utf8(sampleId))) ^ fnv1a64(stream)},
 * where {@code mix} is the SplitMix64 finalizer; this formula is part of the contract (changing it changes every
 * augmented shard). The stream name separates independent choices for the same sample (a flip and a crop each
 * draw from their own stream, so adding one augmentation does not shift the draws of another).
 *
 * <pre>{@code
 * SplittableRandom r = Randomness.forSample(42, 3, "bccd/train/00017", "flip");
 * boolean flip = r.nextDouble() < 0.5;
 * }</pre>
 */
public final class Randomness {
  private Randomness() {}

  /** A fresh generator for one sample's choices in the default stream. Never share it between samples. */
  public static SplittableRandom forSample(long seed, long epoch, String sampleId) {
    return forSample(seed, epoch, sampleId, "");
  }

  /** A fresh generator for one sample's choices in a named stream (such as {@code "flip"}). */
  public static SplittableRandom forSample(long seed, long epoch, String sampleId, String stream) {
    return new SplittableRandom(seedOf(seed, epoch, sampleId, stream));
  }

  /** The 64-bit generator seed described in the class comment. */
  public static long seedOf(long seed, long epoch, String sampleId, String stream) {
    if (sampleId == null || stream == null) {
      throw new IllegalArgumentException("randomness needs a sample id and a stream name, but "
          + (sampleId == null ? "the sample id" : "the stream") + " was null.");
    }
    long h = mix(mix(mix(seed) ^ epoch) ^ fnv1a64(sampleId));
    return stream.isEmpty() ? h : mix(h ^ fnv1a64(stream));
  }

  /**
   * The group, in {@code 0..groups-1}, that a sample joins for a group augmentation such as mosaic: uniform over
   * groups and a pure function of (seed, epoch, sample id), so grouping does not depend on element order.
   *
   * @throws IllegalArgumentException if {@code groups < 1}
   */
  public static int groupOf(long seed, long epoch, String sampleId, int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("groups must be >= 1, but was " + groups + ".");
    }
    long h = seedOf(seed, epoch, sampleId, "group");
    return (int) Math.floorMod(h, (long) groups);
  }

  /**
   * A 64-bit hash of {@code s} that is the same on every JVM and runner and whose every bit depends on every byte:
   * {@code mix(fnv1a64(utf8(s)))}. For seedless choices such as which output shard a sample goes to.
   */
  public static long stableHash(String s) {
    return mix(fnv1a64(s));
  }

  /** The SplitMix64 finalizer: a bijection on 64-bit values with full avalanche. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** FNV-1a, 64 bits, over the UTF-8 bytes of {@code s} (stable across JVMs, unlike identity hashes). */
  static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** A uniform double in {@code [lo, hi]} ({@code lo} when the range is empty). */
  public static double uniform(SplittableRandom random, double lo, double hi) {
    return hi > lo ? lo + (hi - lo) * random.nextDouble() : lo;
  }
}
