package dev.tessera.benchmarks.train;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a benchmark's libtorch side in a child JVM on this JVM's class path: bytedeco's libtorch aborts a JVM that
 * already loaded DJL's. The child prints its figures as one line of numbers.
 */
final class ChildJvm {
  private ChildJvm() {}

  /** Runs {@code main} with {@code args} and {@code threads} OpenBLAS/OpenMP threads; returns its printed line. */
  static long[] run(Class<?> main, List<String> args, int threads) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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

  /** Prints {@code values} as the one line {@link #run} reads. */
  static void print(long[] values) {
    StringBuilder line = new StringBuilder();
    for (long v : values) {
      line.append(line.length() == 0 ? "" : " ").append(v);
    }
    System.out.println(line);
  }
}
