package dev.tessera.stages.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes of a cluster a test starts on 127.0.0.1 (a Flink JobManager and TaskManagers, a Spark master and
 * worker), each logging into its own file; {@link #close()} ends every one of them and their descendants, so a
 * failing test leaves nothing running. Every wait is bounded and names the process and its log when it runs out.
 */
public final class LocalProcesses implements AutoCloseable {
  private final Path logs;
  private final List<Process> started = new ArrayList<>();

  /** A group whose processes log into {@code logs/<name>.log}. */
  public LocalProcesses(Path logs) {
    this.logs = logs;
  }

  /** A TCP port free on 127.0.0.1 right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** The {@code java} executable of the JVM running the test. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Starts {@code command} with its output in {@code logs/<name>.log}. */
  public Process start(String name, List<String> command) {
    return start(name, command, Map.of());
  }

  /** Starts {@code command} with {@code env} added to its environment and its output in {@code logs/<name>.log}. */
  public synchronized Process start(String name, List<String> command, Map<String, String> env) {
    try {
      Files.createDirectories(logs);
      Path log = logs.resolve(name + ".log");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      started.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  /** The log of the process started as {@code name}, or a note that there is none. */
  public String log(String name) {
    try {
      Path log = logs.resolve(name + ".log");
      return Files.exists(log) ? Files.readString(log) : "(no log at " + log + ")";
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  /**
   * Waits until 127.0.0.1:port accepts connections; fails with the process's log when it exits first or the
   * timeout passes.
   */
  public void awaitPort(String name, Process process, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before listening on port "
            + port + "; its log:\n" + log(name));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        pause(process);
      }
    }
    throw new AssertionError(name + " did not listen on 127.0.0.1:" + port + " within " + timeout + "; its log:\n"
        + log(name));
  }

  /**
   * Waits until the log of {@code name} contains {@code text}; fails with the log when the process exits first or
   * the timeout passes.
   */
  public void awaitLog(String name, Process process, String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (log(name).contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before logging '" + text
            + "'; its log:\n" + log(name));
      }
      pause(process);
    }
    throw new AssertionError(name + " did not log '" + text + "' within " + timeout + "; its log:\n" + log(name));
  }

  /** Ends every started process and its descendants, newest first, and waits (bounded) for them to go. */
  @Override
  public synchronized void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (int i = started.size() - 1; i >= 0; i--) {
      ProcessHandle handle = started.get(i).toHandle();
      handle.descendants().forEach(all::add);
      all.add(handle);
    }
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("process " + handle.pid() + " did not end within 30 s of being killed", e);
      }
    }
    started.clear();
  }

  /** Waits a little for the process, which also wakes up early when it exits. */
  private static void pause(Process process) {
    try {
      process.waitFor(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a cluster process", e);
    }
  }
}
