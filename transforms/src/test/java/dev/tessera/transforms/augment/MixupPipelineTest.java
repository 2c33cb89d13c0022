package dev.tessera.transforms.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.transforms.image.MixupSpec;
import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.Sample;
import dev.tessera.transforms.sample.SampleCoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * The Beam Mixup on DirectRunner (its immutability and encodability checks on): pairs are disjoint and cover the
 * input, pixels are the kernel's, boxes of both members are kept, and the output is a function of (seed, epoch).
 */
class MixupPipelineTest implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final MixupSpec SPEC = new MixupSpec(0.3, 0.7);
  /** Odd, and large enough for several first-round groups (GROUP_SIZE 16), so both rounds pair samples. */
  private static final int N = 101;

  /** Same-shape samples, each with one box whose class id is its index, so an output names its partner. */
  private static List<Sample> inputs() {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      out.add(Fixtures.solid(String.format("toy/train/%03d", i), 6, 8, (7 * i) % 256, (255 - 3 * i) % 256, i % 5, i,
          List.of(new Box(1, 1, 5, 4, i))));
    }
    return out;
  }

  /** The documented pairing, computed without Beam: seeded groups, then the leftovers of odd groups. */
  private static List<Sample> expected(MixupSpec spec, long seed, long epoch) {
    int groups = Math.max(1, N / Mixup.GROUP_SIZE);
    Map<Integer, List<Sample>> byGroup = new TreeMap<>();
    for (Sample s : inputs()) {
      byGroup.computeIfAbsent(Randomness.groupOf(seed, epoch, s.id(), groups), k -> new ArrayList<>()).add(s);
    }
    List<Sample> out = new ArrayList<>();
    List<Sample> leftovers = new ArrayList<>();
    byGroup.values().forEach(g -> out.addAll(Mixup.pair(g, new MixupSample(spec), seed, epoch, leftovers)));
    List<Sample> unpaired = new ArrayList<>();
    out.addAll(Mixup.pair(leftovers, new MixupSample(spec), seed, epoch, unpaired));
    out.addAll(unpaired);
    return out;
  }

  private static int firstRoundLeftovers(long seed, long epoch) {
    int groups = Math.max(1, N / Mixup.GROUP_SIZE);
    int[] sizes = new int[groups];
    inputs().forEach(s -> sizes[Randomness.groupOf(seed, epoch, s.id(), groups)]++);
    int odd = 0;
    for (int size : sizes) {
      odd += size % 2;
    }
    return odd;
  }

  @Test
  void everySampleIsInExactlyOnePairAndEachOutputIsTheKernelOfItsPair() {
    assertTrue(firstRoundLeftovers(42, 1) >= 3,
        "precondition: seed 42 leaves several first-round leftovers, so the second round pairs some of them");
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Sample> out = p.apply(Create.of(inputs()).withCoder(SampleCoder.of()))
        .apply("Mixup", Mixup.of(SPEC).withSeed(42).withEpoch(1));
    PAssert.that(out).satisfies(outputs -> {
      List<Sample> in = inputs();
      Map<String, Sample> byId = new TreeMap<>();
      outputs.forEach(s -> assertEquals(null, byId.put(s.id(), s), "id " + s.id() + " occurs once"));
      assertEquals(N, byId.size(), "one output per input");
      int unpaired = 0;
      for (int i = 0; i < N; i++) {
        Sample input = in.get(i);
        Sample mixed = byId.get(input.id());
        List<Box> boxes = mixed.boxes();
        assertEquals(input.boxes().get(0), boxes.get(0), "the anchor's box comes first");
        if (boxes.size() == 1) {
          unpaired++;
          assertEquals(input, mixed, "the unpaired sample passes through unchanged");
          continue;
        }
        assertEquals(2, boxes.size(), input.id() + " has exactly one partner");
        int partner = boxes.get(1).classId();
        assertNotEquals(i, partner);
        assertEquals(i, byId.get(in.get(partner).id()).boxes().get(1).classId(),
            "the partner of " + input.id() + "'s partner is " + input.id());
        Sample kernel = new MixupSample(SPEC).apply(List.of(input, in.get(partner)),
            Randomness.forSample(42, 1, input.id(), "mixup"));
        assertEquals(kernel, mixed, input.id() + " is the kernel of its pair with the ratio drawn from its id");
      }
      assertEquals(1, unpaired, "an odd count leaves exactly one sample unpaired");
      return null;
    });
    PAssert.that(out).containsInAnyOrder(expected(SPEC, 42, 1));
    p.run().waitUntilFinish();
  }

  @Test
  void theSameSeedGivesTheSameBytesInAnyInputOrder() {
    List<Sample> reversed = new ArrayList<>(inputs());
    Collections.reverse(reversed);
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Sample> forward = p.apply("Forward", Create.of(inputs()).withCoder(SampleCoder.of()))
        .apply("MixupForward", Mixup.of(SPEC).withSeed(42).withEpoch(1));
    PCollection<Sample> backward = p.apply("Backward", Create.of(reversed).withCoder(SampleCoder.of()))
        .apply("MixupBackward", Mixup.of(SPEC).withSeed(42).withEpoch(1));
    byte[] expected = bytes(expected(SPEC, 42, 1));
    PAssert.that(forward).satisfies(s -> {
      assertEquals(List.of(hex(expected)), List.of(hex(bytes(s))));
      return null;
    });
    PAssert.that(backward).satisfies(s -> {
      assertEquals(List.of(hex(expected)), List.of(hex(bytes(s))));
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void withSeedWithEpochAndWithSpecChangeTheOutput() {
    byte[] base = bytes(expected(SPEC, 42, 1));
    assertFalse(hex(base).equals(hex(bytes(expected(SPEC, 43, 1)))), "another seed");
    assertFalse(hex(base).equals(hex(bytes(expected(SPEC, 42, 2)))), "another epoch");
    assertFalse(hex(base).equals(hex(bytes(expected(new MixupSpec(0.5, 0.5), 42, 1)))), "another spec");
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Sample> out = p.apply(Create.of(inputs()).withCoder(SampleCoder.of()))
        .apply("Mixup", Mixup.of(SPEC).withSpec(new MixupSpec(0.5, 0.5)).withSeed(43).withEpoch(2));
    PAssert.that(out).containsInAnyOrder(expected(new MixupSpec(0.5, 0.5), 43, 2));
    p.run().waitUntilFinish();
  }

  @Test
  void anEvenCountLeavesNoSampleUnpaired() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<Sample> out = p.apply(Create.of(inputs().subList(0, 40)).withCoder(SampleCoder.of()))
        .apply("Mixup", Mixup.of(SPEC).withSeed(7));
    PAssert.that(out).satisfies(outputs -> {
      int count = 0;
      for (Sample s : outputs) {
        count++;
        assertEquals(2, s.boxes().size(), s.id() + " has a partner");
      }
      assertEquals(40, count);
      return null;
    });
    p.run().waitUntilFinish();
  }

  @Test
  void rejectsANegativeEpoch() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Mixup.of(SPEC).withEpoch(-1));
    assertEquals("mixup.epoch must be >= 0, but was -1.", e.getMessage());
  }

  /** The samples encoded with {@link SampleCoder} in id order. */
  private static byte[] bytes(Iterable<Sample> samples) {
    List<Sample> sorted = new ArrayList<>();
    samples.forEach(sorted::add);
    sorted.sort(Comparator.comparing(Sample::id));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (Sample s : sorted) {
        SampleCoder.of().encode(s, out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(sha256(bytes));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
