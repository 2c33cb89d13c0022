package dev.tessera.runners.flink;

import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.stages.testing.LocalProcesses;
import dev.tessera.stages.testing.PipDistribution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Flink 1.19 session cluster on 127.0.0.1: a JobManager and TaskManagers of two slots each, every one its
 * own JVM, started from the Flink distribution PyPI ships as {@code apache-flink-libraries} (installed on first use
 * by {@link PipDistribution}). PyPI's package holds Flink's {@code lib/} but not its shell scripts, so the JVMs are
 * started here the way {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} would, with the TaskManager's memory
 * flags computed by Flink's own {@code BashJavaUtils}.
 *
 * <p>{@code workerFlags} are the JVM flags the TaskManagers get ({@code env.java.opts.all} in a real
 * {@code config.yaml}): Tessera's {@code tessera.jvm.flags}, or none to show what happens without them.
 * {@code jobClassPath}, when not empty, is added to every process's class path, as jars put into Flink's
 * {@code lib/} would be: the classes of the jobs are then loaded once per process, not once per job from the jars
 * each job uploads. {@link #close()} kills every process.
 */
final class FlinkCluster implements AutoCloseable {
  static final String VERSION = "1.19.3";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final LocalProcesses processes;
  private final int restPort;

  private FlinkCluster(LocalProcesses processes, int restPort) {
    this.processes = processes;
    this.restPort = restPort;
  }

  /** Starts a JobManager and {@code taskManagers} TaskManagers; returns once all TaskManagers registered. */
  static FlinkCluster start(Path dir, int taskManagers, List<String> workerFlags) {
    return start(dir, taskManagers, workerFlags, List.of());
  }

  /** As {@link #start(Path, int, List)}, with {@code jobClassPath} on every process's class path. */
  static FlinkCluster start(Path dir, int taskManagers, List<String> workerFlags, List<String> jobClassPath) {
    Path site = PipDistribution.install("apache-flink-libraries", VERSION);
    Path lib = site.resolve("pyflink/lib");
    Path utils = site.resolve("pyflink/bin/bash-java-utils.jar");
    LocalProcesses processes = new LocalProcesses(dir.resolve("logs"));
    try {
      int restPort = LocalProcesses.freePort();
      Path conf = writeConfig(dir.resolve("conf"), restPort, workerFlags);
      String classPath = lib + "/*" + jobClassPath.stream().map(p -> ":" + p).collect(Collectors.joining());
      String logging = "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties");
      Process jobManager = processes.start("jobmanager", List.of(LocalProcesses.java(), "-Xmx512m", logging,
          "-cp", classPath, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
          "--configDir", conf.toString()));
      processes.awaitPort("jobmanager", jobManager, restPort, START_TIMEOUT);
      List<String> resources = taskManagerResources(utils, lib, conf);
      for (int i = 0; i < taskManagers; i++) {
        List<String> command = new ArrayList<>();
        command.add(LocalProcesses.java());
        command.addAll(Arrays.asList(resources.get(0).trim().split("\\s+")));
        command.addAll(workerFlags);
        command.add(logging);
        command.addAll(List.of("-cp", classPath, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
            "--configDir", conf.toString()));
        command.addAll(Arrays.asList(resources.get(1).trim().split("\\s+")));
        Process taskManager = processes.start("taskmanager-" + i, command);
        processes.awaitLog("taskmanager-" + i, taskManager, "Successful registration at resource manager",
            START_TIMEOUT);
      }
      return new FlinkCluster(processes, restPort);
    } catch (RuntimeException | Error e) {
      processes.close();
      throw e;
    }
  }

  /** The JobManager's REST address, the value of {@code --flinkMaster}. */
  String master() {
    return "127.0.0.1:" + restPort;
  }

  @Override
  public void close() {
    processes.close();
  }

  private static Path writeConfig(Path conf, int restPort, List<String> workerFlags) {
    try {
      Files.createDirectories(conf);
      String config = String.join("\n",
          "jobmanager.rpc.address: 127.0.0.1",
          "jobmanager.rpc.port: " + LocalProcesses.freePort(),
          "jobmanager.bind-host: 127.0.0.1",
          "jobmanager.memory.process.size: 1024m",
          "rest.address: 127.0.0.1",
          "rest.bind-address: 127.0.0.1",
          "rest.port: " + restPort,
          "taskmanager.host: 127.0.0.1",
          "taskmanager.bind-host: 127.0.0.1",
          "taskmanager.numberOfTaskSlots: 2",
          "taskmanager.memory.process.size: 1536m",
          "blob.server.port: " + LocalProcesses.freePort(),
          // The processes' working directories (jm_*, tm_*: blob caches with the jobs' jars, 1.5 GB a TaskManager)
          // inside the test's folder, deleted with it: under /tmp they outlived every run.
          "io.tmp.dirs: " + conf.getParent().resolve("tmp"),
          // Flink's YAML parser rejects an empty value: no flags, no line.
          workerFlags.isEmpty() ? "" : "env.java.opts.all: " + String.join(" ", workerFlags),
          "");
      Files.writeString(conf.resolve("config.yaml"), config);
      // INFO to the process's output (its log file): the start-up waits read it.
      Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
          "rootLogger.level = INFO",
          "rootLogger.appenderRef.out.ref = out",
          "appender.out.type = Console",
          "appender.out.name = out",
          "appender.out.layout.type = PatternLayout",
          "appender.out.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n",
          ""));
      return conf;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write Flink's configuration into " + conf, e);
    }
  }

  /** The TaskManager's JVM memory flags and its dynamic {@code -D} settings, as {@code BashJavaUtils} computes. */
  private static List<String> taskManagerResources(Path utils, Path lib, Path conf) {
    String out = PythonEnv.exec(List.of(LocalProcesses.java(), "-cp", utils + ":" + lib + "/*",
        "org.apache.flink.runtime.util.bash.BashJavaUtils", "GET_TM_RESOURCE_PARAMS", "--configDir",
        conf.toString()), Map.of(), Duration.ofMinutes(1));
    String prefix = "BASH_JAVA_UTILS_EXEC_RESULT:";
    List<String> results = out.lines().filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length())).toList();
    if (results.size() != 2) {
      throw new AssertionError("BashJavaUtils GET_TM_RESOURCE_PARAMS printed " + results.size()
          + " result lines, expected 2 (JVM flags, dynamic settings):\n" + out);
    }
    return results;
  }
}
