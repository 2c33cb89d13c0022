package dev.tessera.transforms.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The vector width the SIMD passes of the image kernels ({@link ResizeNormalize}, and through it
 * {@link MosaicKernel#renderNormalized}) run at in this JVM: 512, 256 or 128 bits, or none (scalar passes). Chosen
 * once, when the class is first used, from what the JVM offers and two system properties:
 *
 * <ul>
 *   <li>without {@code --add-modules=jdk.incubator.vector}, or with {@code -Dtessera.simd=false}: scalar;
 *   <li>otherwise the widest of 512, 256 and 128 bits not above the JVM's preferred vector size
 *       ({@code VectorShape.preferredShape()}, which {@code -XX:UseAVX=} and {@code -XX:MaxVectorSize=} lower); 512
 *       bits only on x86 CPUs with AVX-512 VBMI ({@code avx512vbmi} in {@code /proc/cpuinfo}), because without it
 *       JDK 17 does not compile 64-byte permutes to one instruction, and then 256 bits are faster;
 *   <li>{@code -Dtessera.simd.bits=128|256|512} forces a width (for tests and benchmarks), at most the width the
 *       rule above would pick.
 * </ul>
 *
 * <p>Every width gives the same floats as the scalar passes (tested per width in child JVMs).
 *
 * <pre>{@code
 * System.out.println(SimdWidth.describe()); // e.g. "256-bit (JVM's preferred vectors: 256 bits)"
 * }</pre>
 */
public final class SimdWidth {
  /** Set to {@code false} to force the scalar passes. */
  public static final String ENABLED_PROPERTY = "tessera.simd";
  /** Set to 128, 256 or 512 to force a width. */
  public static final String BITS_PROPERTY = "tessera.simd.bits";

  private static final Choice CHOICE = choose(
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), System.getProperty(ENABLED_PROPERTY),
      System.getProperty(BITS_PROPERTY), cpuFlags(), System.getProperty("os.arch", ""));

  private SimdWidth() {}

  /** What was chosen: {@code bits} (0 = scalar) and why, or an error for a bad {@link #BITS_PROPERTY}. */
  record Choice(int bits, String reason, String error) {}

  /** Bits per vector of the SIMD passes in this JVM, or 0 when the scalar passes run. */
  public static int bits() {
    if (CHOICE.error() != null) {
      throw new IllegalArgumentException(CHOICE.error());
    }
    return CHOICE.bits();
  }

  /** The path taken and why, e.g. {@code "256-bit (JVM's preferred vectors: 256 bits)"} or {@code "scalar (...)"}. */
  public static String describe() {
    if (CHOICE.error() != null) {
      return "none: " + CHOICE.error();
    }
    return (CHOICE.bits() == 0 ? "scalar" : CHOICE.bits() + "-bit") + " (" + CHOICE.reason() + ")";
  }

  /** The CPU model from {@code /proc/cpuinfo} ({@code model name}), or {@code "unknown"}. */
  public static String cpuModel() {
    for (String line : cpuinfo()) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown";
  }

  /** The vector-related CPU flags from {@code /proc/cpuinfo} (SSE4, AVX*, FMA, NEON/ASIMD, SVE), in its order. */
  public static List<String> vectorFlags() {
    List<String> out = new ArrayList<>();
    for (String f : cpuFlags()) {
      if (f.startsWith("sse4") || f.startsWith("avx") || f.equals("fma") || f.startsWith("asimd")
          || f.startsWith("sve")) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * The rule above as a function of its inputs. {@code preferredBits} is asked only when the module is there (the
   * class that asks refers to {@code jdk.incubator.vector}).
   */
  static Choice choose(boolean module, String enabled, String forced, List<String> flags, String arch) {
    if (!module) {
      return new Choice(0, "jdk.incubator.vector is not in the boot layer; add --add-modules=jdk.incubator.vector",
          null);
    }
    if ("false".equalsIgnoreCase(enabled)) {
      return new Choice(0, "-D" + ENABLED_PROPERTY + "=false", null);
    }
    return choose(Preferred.bits(), forced, flags, arch);
  }

  static Choice choose(int preferredBits, String forced, List<String> flags, String arch) {
    int widest = preferredBits >= 512 ? 512 : preferredBits >= 256 ? 256 : preferredBits >= 128 ? 128 : 0;
    String why = "JVM's preferred vectors: " + preferredBits + " bits";
    boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
    if (widest == 512 && x86 && !flags.contains("avx512vbmi")) {
      widest = 256;
      why += ", but no AVX-512 VBMI for 64-byte permutes";
    }
    if (forced == null || forced.isBlank()) {
      return new Choice(widest, widest == 0 ? why + ", below the 128-bit floor" : why, null);
    }
    int bits;
    try {
      bits = Integer.parseInt(forced.trim());
    } catch (NumberFormatException e) {
      bits = -1;
    }
    if ((bits != 128 && bits != 256 && bits != 512) || bits > widest) {
      return new Choice(0, why, BITS_PROPERTY + " must be 128, 256 or 512 and at most " + widest
          + " here (" + why + "), but was '" + forced + "'. Leave it unset for the widest, or set -D"
          + ENABLED_PROPERTY + "=false for the scalar passes.");
    }
    return new Choice(bits, "forced by -D" + BITS_PROPERTY + "=" + bits + "; " + why, null);
  }

  private static List<String> cpuFlags() {
    for (String line : cpuinfo()) {
      // x86 lists "flags", ARM "Features".
      if (line.startsWith("flags") || line.startsWith("Features")) {
        return List.of(line.substring(line.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT).split("\\s+"));
      }
    }
    return List.of();
  }

  private static List<String> cpuinfo() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo"));
    } catch (IOException | RuntimeException e) {
      // Not Linux, or not readable: then no model and no flags are known, and the JVM's preferred size decides.
      return List.of();
    }
  }

  /** Loaded only when {@code jdk.incubator.vector} is in the boot layer. */
  private static final class Preferred {
    static int bits() {
      return jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize();
    }
  }
}
