package dev.tessera.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Measures work by the current thread's CPU time (not wall time), so other engineers' load on the shared machine
 * does not count against either side. Each side runs in alternating rounds; the best round per side is reported.
 */
final class CpuClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuClock() {}

  /** Items per CPU second of {@code body}, run {@code items} times, best of {@code rounds} interleaved rounds. */
  static double[] interleaved(int rounds, int items, Runnable java, Runnable peer) {
    if (!THREADS.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("thread CPU time is not supported by this JVM; the benchmark needs it.");
    }
    THREADS.setThreadCpuTimeEnabled(true);
    double bestJava = 0;
    double bestPeer = 0;
    for (int r = 0; r < rounds; r++) {
      bestJava = Math.max(bestJava, rate(items, java));
      bestPeer = Math.max(bestPeer, rate(items, peer));
    }
    return new double[] {bestJava, bestPeer};
  }

  private static double rate(int items, Runnable body) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < items; i++) {
      body.run();
    }
    long t1 = THREADS.getCurrentThreadCpuTime();
    return items / ((t1 - t0) / 1e9);
  }
}
