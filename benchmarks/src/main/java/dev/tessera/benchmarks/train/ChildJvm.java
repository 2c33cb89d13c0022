package dev.tessera.benchmarks.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs a benchmark's libtorch side in a child JVM on this JVM's class path: bytedeco's libtorch aborts a JVM that
 * already loaded DJL's. The child prints its figures as one line of numbers.
 *
 * <p>With {@code -Dtessera.bench.peerLibtorch=djl} the child's C++ frontend runs on DJL's libtorch build (the
 * {@code libtorch_cpu.so} this JVM loaded, MKL inside) instead of bytedeco's own (OpenBLAS): JavaCPP then looks for
 * the libraries on {@code java.library.path} before its bundled copies ({@code org.bytedeco.javacpp.pathsFirst}),
 * and bytedeco's JNI library binds to DJL's build, whose exports cover every symbol it needs. Both sides then run
 * the same kernels, and the ratio measures what Tessera and DJL add around them.
 */
final class ChildJvm {
  /** Which libtorch the peer runs on: {@code bytedeco} (its own build, the default) or {@code djl}. */
  static final String PEER_LIBTORCH = "tessera.bench.peerLibtorch";

  /** {@code -Dtessera.bench.threads=true}: both sides print the CPU time of each thread ({@link ThreadCpu}). */
  static final String THREADS = "tessera.bench.threads";

  /**
   * {@code -Dtessera.bench.peerProfile=peer.json} (with {@code peerLibtorch=djl}): the peer's ops recorded by the
   * same libtorch profiler, reached through DJL's JNI library, which then binds to the libtorch already loaded.
   */
  static final String PEER_PROFILE = "tessera.bench.peerProfile";

  /**
   * {@code -Dtessera.bench.peerKeepsHeap=true}: the peer frees one 31 MiB block before its steps, as Tessera's
   * trainer does ({@code NativeHeap}), so glibc keeps freed memory in its heap on both sides.
   */
  static final String PEER_KEEPS_HEAP = "tessera.bench.peerKeepsHeap";

  private ChildJvm() {}

  /** Runs {@code main} with {@code args} and {@code threads} OpenBLAS/OpenMP threads; returns its printed line. */
  static long[] run(Class<?> main, List<String> args, int threads) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(peerLibraryOptions());
    command.add("-D" + THREADS + "=" + Boolean.getBoolean(THREADS));
    command.add("-D" + PEER_KEEPS_HEAP + "=" + Boolean.getBoolean(PEER_KEEPS_HEAP));
    if (System.getProperty(PEER_PROFILE) != null) {
      command.add("-D" + PEER_PROFILE + "=" + System.getProperty(PEER_PROFILE));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    // bytedeco's libtorch does its matrix products in OpenBLAS (DJL's in MKL): hold its thread pool to the same
    // count, or its idle threads spin on the cores the step needs.
    builder.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
    builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
    Process child = builder.start();
    String line;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      line = out.readLine();
    }
    if (child.waitFor() != 0 || line == null) {
      throw new IllegalStateException("the libtorch child JVM failed (exit " + child.exitValue() + ")");
    }
    return Arrays.stream(line.trim().split(" ")).mapToLong(Long::parseLong).toArray();
  }

  /** The child's JVM options that choose its libtorch ({@link #PEER_LIBTORCH}). */
  private static List<String> peerLibraryOptions() throws IOException {
    String peer = System.getProperty(PEER_LIBTORCH, "bytedeco");
    switch (peer) {
      case "bytedeco" -> {
        return List.of();
      }
      case "djl" -> {
        Path djl = loadedLibtorch().orElseThrow(() -> new IllegalStateException(PEER_LIBTORCH + "=djl needs DJL's "
            + "libtorch loaded in this JVM before the child starts, but no libtorch_cpu.so is mapped; run a "
            + "Tessera step first."));
        return List.of("-Dorg.bytedeco.javacpp.pathsFirst=true", "-Djava.library.path=" + djl.getParent());
      }
      default -> throw new IllegalArgumentException(PEER_LIBTORCH + " must be bytedeco or djl, but was '" + peer
          + "'.");
    }
  }

  /** The {@code libtorch_cpu.so} this process has mapped, if any (Linux: from {@code /proc/self/maps}). */
  static Optional<Path> loadedLibtorch() throws IOException {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(maps)) {
      return lines.map(line -> line.substring(line.lastIndexOf(' ') + 1))
          .filter(file -> file.endsWith("/libtorch_cpu.so"))
          .findFirst()
          .map(Path::of);
    }
  }

  /** Which libtorch build this process runs, for the benchmark's output: its file and whether it has MKL. */
  static String describeLibtorch() {
    try {
      return "  peer libtorch: " + loadedLibtorch().map(Path::toString).orElse("(unknown)") + ", MKL "
          + (org.bytedeco.pytorch.global.torch.hasMKL() ? "yes" : "no");
    } catch (IOException e) {
      return "  peer libtorch: unknown (" + e.getMessage() + ")";
    }
  }

  /** Prints {@code values} as the one line {@link #run} reads. */
  static void print(long[] values) {
    StringBuilder line = new StringBuilder();
    for (long v : values) {
      line.append(line.length() == 0 ? "" : " ").append(v);
    }
    System.out.println(line);
  }
}
