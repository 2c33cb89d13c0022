package dev.tessera.benchmarks.train;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process (all threads, native ones included), from the operating system, and of the
 * calling thread alone (without the JIT compiler's and the collector's threads).
 */
final class ProcessCpu {
  private ProcessCpu() {}

  static long nanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static long currentThreadNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
