package dev.tessera.benchmarks.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of each thread of this process, Java and native (OpenMP workers, the JIT, the collector), from
 * {@code /proc/self/task/<tid>/stat} in clock ticks (10 ms on Linux): where a step's process CPU time goes.
 */
final class ThreadCpu {
  private static final double MILLIS_PER_TICK = 10;

  private ThreadCpu() {}

  /** Thread name and id to user + system ticks so far; empty where {@code /proc} is missing. */
  static Map<String, Long> snapshot() {
    Map<String, Long> ticks = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return ticks;
    }
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : threads.toList()) {
        try {
          String stat = Files.readString(thread.resolve("stat"));
          // "tid (name) state ppid ...": fields after the name's closing parenthesis, utime and stime 12th and 13th.
          int close = stat.lastIndexOf(')');
          String name = stat.substring(stat.indexOf('(') + 1, close);
          String[] fields = stat.substring(close + 2).split(" ");
          ticks.put(name + "#" + thread.getFileName(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException e) {
          // the thread ended between listing and reading
        }
      }
    } catch (IOException e) {
      return ticks;
    }
    return ticks;
  }

  /** The threads that used CPU between two snapshots, most first, as milliseconds per step. */
  static String between(Map<String, Long> before, Map<String, Long> after, int steps) {
    StringBuilder out = new StringBuilder();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> out.append(String.format(Locale.ROOT, "    %-40s %6.2f CPU-ms per step%n", e.getKey(),
            e.getValue() * MILLIS_PER_TICK / steps)));
    return out.toString();
  }
}
