package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link SimdWidth} picks the vector width from the JVM's preferred size, the CPU flags and the properties. */
class SimdWidthTest {
  private static final List<String> AVX512_VBMI = List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vbmi");
  private static final List<String> AVX512_NO_VBMI = List.of("avx2", "fma", "avx512f", "avx512bw");

  @Test
  void picksTheWidestWidthNotAboveThePreferredSize() {
    assertEquals(512, SimdWidth.choose(512, null, AVX512_VBMI, "amd64").bits());
    assertEquals(256, SimdWidth.choose(256, null, List.of("avx2"), "amd64").bits());
    assertEquals(128, SimdWidth.choose(128, null, List.of("sse4_2"), "amd64").bits());
    assertEquals(512, SimdWidth.choose(2048, null, List.of("sve"), "aarch64").bits());
    assertEquals(128, SimdWidth.choose(128, null, List.of("asimd"), "aarch64").bits());
  }

  @Test
  void usesScalarPassesBelow128Bits() {
    SimdWidth.Choice c = SimdWidth.choose(64, null, List.of(), "amd64");
    assertEquals(0, c.bits());
    assertTrue(c.reason().contains("below the 128-bit floor"), c.reason());
  }

  @Test
  void stepsDownTo256BitsOnX86WithoutVbmi() {
    SimdWidth.Choice c = SimdWidth.choose(512, null, AVX512_NO_VBMI, "amd64");
    assertEquals(256, c.bits());
    assertTrue(c.reason().contains("no AVX-512 VBMI"), c.reason());
  }

  @Test
  void forcedWidthIsTakenWhenTheJvmOffersIt() {
    SimdWidth.Choice c = SimdWidth.choose(512, "128", AVX512_VBMI, "amd64");
    assertEquals(128, c.bits());
    assertNull(c.error());
    assertTrue(c.reason().startsWith("forced by -Dtessera.simd.bits=128"), c.reason());
  }

  @Test
  void rejectsAForcedWidthAboveTheJvmsOrNotAWidth() {
    for (String bad : List.of("512", "64", "wide")) {
      SimdWidth.Choice c = SimdWidth.choose(256, bad, List.of("avx2"), "amd64");
      assertEquals("tessera.simd.bits must be 128, 256 or 512 and at most 256 here (JVM's preferred vectors: 256 "
          + "bits), but was '" + bad + "'. Leave it unset for the widest, or set -Dtessera.simd=false for the "
          + "scalar passes.", c.error());
    }
  }

  @Test
  void withoutTheModuleOrWhenDisabledTheScalarPassesRun() {
    assertEquals(0, SimdWidth.choose(false, null, null, AVX512_VBMI, "amd64").bits());
    SimdWidth.Choice off = SimdWidth.choose(true, "false", "256", AVX512_VBMI, "amd64");
    assertEquals(0, off.bits());
    assertNull(off.error());
  }

  @Test
  void describesThePathOfThisJvm() {
    String d = SimdWidth.describe();
    assertTrue(SimdWidth.bits() == 0 ? d.startsWith("scalar (") : d.startsWith(SimdWidth.bits() + "-bit ("), d);
  }
}
