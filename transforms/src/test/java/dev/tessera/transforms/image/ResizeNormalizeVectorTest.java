package dev.tessera.transforms.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD passes of {@link ResizeNormalize} ({@link ResizeNormalizeVector}) against its scalar passes: identical
 * float arrays, bit for bit, on random sizes, windows and mosaics ({@link VectorParityCases}), at the width this JVM
 * chose and, in child JVMs, at every width this machine supports (forced with {@code -Dtessera.simd.bits}) and with
 * the JVM's vectors limited ({@code -XX:UseAVX=2} on x86, {@code -XX:MaxVectorSize=16}).
 */
class ResizeNormalizeVectorTest {
  private static final NormalizeSpec IMAGENET = VectorParityCases.IMAGENET;

  private static void assumeVector() {
    assumeTrue(ResizeNormalize.of(ImageTransforms.resize(1, 1), IMAGENET).usesVector(),
        "SIMD passes not active here: " + SimdWidth.describe());
  }

  @Test
  void testJvmsRunWithTheVectorModule() {
    // The build adds it (tessera.jvm.flags); without it this suite would only compare the scalar path to itself.
    assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
  }

  @Test
  void normalizeTableIsAnAffineFunctionForCommonSpecs() {
    for (NormalizeSpec n : List.of(IMAGENET, ImageTransforms.normalize(0.1307, 0.3081),
        ImageTransforms.normalize(0.5, 0.5), ImageTransforms.normalize(0.0, 1.0))) {
      Normalize k = Normalize.of(n);
      assertTrue(k.affineExact(), n.toString());
      for (int ch = 0; ch < n.channels(); ch++) {
        for (int v = 0; v < 256; v++) {
          assertEquals(k.lutOf(ch)[v], (float) (v * k.affineScale(ch) + k.affineBias(ch)));
        }
      }
    }
  }

  @Test
  void wholeImagesEqualTheScalarPathOnRandomSizes() {
    assumeVector();
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 300; i++) {
      assertNull(VectorParityCases.wholeImage(r, i));
    }
  }

  @Test
  void p1ShapeEqualsTheScalarPath() {
    assumeVector();
    for (long seed = 0; seed < 3; seed++) {
      assertNull(VectorParityCases.p1(seed));
    }
  }

  @Test
  void regionsEqualTheScalarPathAndLeaveTheRestOfTheCanvas() {
    assumeVector();
    SplittableRandom r = new SplittableRandom(12);
    for (int i = 0; i < 300; i++) {
      assertNull(VectorParityCases.region(r));
    }
  }

  @Test
  void mosaicsEqualTheScalarPath() {
    assumeVector();
    SplittableRandom r = new SplittableRandom(13);
    for (int i = 0; i < 40; i++) {
      assertNull(VectorParityCases.mosaic(r, i));
    }
  }

  @Test
  void everyWidthThisMachineSupportsEqualsTheScalarPath() throws IOException, InterruptedException {
    assumeVector();
    int widest = SimdWidth.bits();
    List<Integer> widths = new ArrayList<>();
    for (int bits = 128; bits <= widest; bits *= 2) {
      widths.add(bits);
    }
    for (int bits : widths) {
      String out = child("-Dtessera.simd.bits=" + bits);
      assertTrue(out.startsWith("bits=" + bits + " path=" + bits + "-bit_SIMD "), out);
      assertTrue(out.contains(" mismatches=0 "), out);
    }
  }

  @Test
  void jvmsWithNarrowerVectorsPickANarrowerWidthAndEqualTheScalarPath() throws IOException, InterruptedException {
    assumeVector();
    List<String[]> limits = new ArrayList<>();
    limits.add(new String[] {"-XX:MaxVectorSize=16", "128"});
    String arch = System.getProperty("os.arch");
    if (arch.equals("amd64") || arch.equals("x86_64")) {
      // What an AVX2 CPU without AVX-512 offers: C2 emits at most 256-bit vectors.
      limits.add(new String[] {"-XX:UseAVX=2", "256"});
    }
    for (String[] limit : limits) {
      String out = child(limit[0]);
      int bits = Integer.parseInt(out.substring("bits=".length(), out.indexOf(' ')));
      assertTrue(bits >= 128 && bits <= Integer.parseInt(limit[1]), limit[0] + ": " + out);
      assertTrue(out.contains(" mismatches=0 "), limit[0] + ": " + out);
    }
  }

  @Test
  void aWidthAboveWhatTheJvmOffersIsRejected() throws IOException, InterruptedException {
    String out = child("-XX:MaxVectorSize=16", "-Dtessera.simd.bits=256");
    assertTrue(out.contains("tessera.simd.bits must be 128, 256 or 512 and at most 128 here"), out);
  }

  @Test
  void withoutTheModuleTheScalarPathRunsAndGivesTheSameFloats() throws IOException, InterruptedException {
    assumeVector();
    ResizeNormalize vector = ResizeNormalize.of(ImageTransforms.resize(ScalarFallbackMain.OUT_W,
        ScalarFallbackMain.OUT_H), IMAGENET);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ScalarFallbackMain.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    assertFalse(out.contains("incubator"), out);
    assertEquals("vector=false hash=" + ScalarFallbackMain.hash(vector), out);
  }

  /** Runs {@link VectorParityCases#main} in a child JVM with the vector module and {@code options}; its last line. */
  private static String child(String... options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules=jdk.incubator.vector"));
    command.addAll(List.of(options));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), VectorParityCases.class.getName(), "60"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    int exit = p.waitFor();
    String last = out.substring(out.lastIndexOf('\n') + 1);
    return exit == 0 ? last : "exit " + exit + ": " + out;
  }
}
