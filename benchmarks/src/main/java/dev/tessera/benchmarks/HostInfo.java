package dev.tessera.benchmarks;

import dev.tessera.transforms.image.SimdWidth;
import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;
import org.bytedeco.opencv.global.opencv_core;

/**
 * What the image benchmarks' figures depend on, printed with them: the CPU model and its vector flags (from
 * {@code /proc/cpuinfo}), the JVM options that limit vectors, the path Tessera's kernels took (scalar, 128, 256 or
 * 512-bit SIMD, and why) and the CPU features OpenCV dispatches to (narrowed by {@code OPENCV_CPU_DISABLE}).
 */
final class HostInfo {
  private HostInfo() {}

  /** Prints the lines, indented by two spaces; {@code path} is the kernel's own ({@code ResizeNormalize.path()}). */
  static void print(String path) {
    System.out.printf("  CPU: %s; vector flags: %s%n", SimdWidth.cpuModel(),
        String.join(" ", SimdWidth.vectorFlags()));
    String options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.contains("UseAVX") || a.contains("VectorSize") || a.contains("tessera.simd"))
        .collect(Collectors.joining(" "));
    System.out.printf("  JVM %s, vector options: %s%n", Runtime.version(), options.isEmpty() ? "none" : options);
    System.out.printf("  Tessera path: %s; width: %s%n", path, SimdWidth.describe());
    String disabled = System.getenv("OPENCV_CPU_DISABLE");
    // The features line lists what the build dispatches to; checkHardwareSupport says what is enabled now.
    System.out.printf("  OpenCV CPU features: %s; enabled now: AVX2 %s, AVX-512 SKX %s%s%n",
        opencv_core.getCPUFeaturesLine().getString(), opencv_core.checkHardwareSupport(opencv_core.CV_CPU_AVX2),
        opencv_core.checkHardwareSupport(opencv_core.CV_CPU_AVX512_SKX),
        disabled == null ? "" : " (OPENCV_CPU_DISABLE=" + disabled + ")");
  }
}
