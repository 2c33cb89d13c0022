package dev.tessera.benchmarks.cluster;

import dev.tessera.stages.testing.LocalProcesses;
import dev.tessera.transforms.image.SimdWidth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The same preprocessing job, mnist-lenet's preprocess stage over all 70,000 MNIST samples ({@link PreprocessJob}),
 * on the DirectRunner, on a Flink 1.19 standalone cluster with one and with two TaskManagers (two slots each), and
 * on a Spark standalone cluster (a master and one worker of two cores), one after the other on this machine. Prints
 * per runner the cluster's start-up time, the job's time from submission to finish, samples per second and the
 * ratio to the DirectRunner measured in the same run, and checks that every runner wrote the DirectRunner's dataset
 * digest (exit code 1 if not).
 *
 * <p>The clusters are started by the cluster tests' own code, in a JVM of the runner module's test class path
 * ({@code FlinkBenchmarkCluster}, {@code SparkBenchmarkCluster}, which use {@code FlinkCluster} and
 * {@code SparkCluster} as {@code FlinkClusterIT} and {@code SparkClusterIT} do); the job runs in a further JVM of
 * that class path, as {@code tessera run} would submit it. Flink and Spark never share a class path. Run from the
 * repository root, with {@code TESSERA_DATA_MIRROR} set:
 *
 * <pre>
 * ./mvnw -B -o -q -pl benchmarks -am package -DskipTests
 * ./mvnw -B -o -q -pl runners/flink,runners/spark -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * flags="$(sed -n 's:.*&lt;tessera.jvm.flags&gt;\(.*\)&lt;/tessera.jvm.flags&gt;.*:\1:p' pom.xml)"
 * java $flags -Dtessera.jvm.flags="$flags" -cp "$(cat benchmarks/target/classpath.txt):benchmarks/target/classes" \
 *     dev.tessera.benchmarks.cluster.ClusterPreprocessBenchmark \
 *     "runners/flink/target/test-classes:$(cat runners/flink/target/test.classpath)" \
 *     "runners/spark/target/test-classes:$(cat runners/spark/target/test.classpath)"
 * </pre>
 * An optional third argument picks runners ({@code flink-1,flink-2,spark}; the DirectRunner always runs first).
 */
public final class ClusterPreprocessBenchmark {
  private static final Duration CLUSTER_START = Duration.ofMinutes(10);
  private static final long JOB_MINUTES = 60;
  private static final String FLINK_CLUSTER = "dev.tessera.runners.flink.FlinkBenchmarkCluster";
  private static final String SPARK_CLUSTER = "dev.tessera.runners.spark.SparkBenchmarkCluster";

  private ClusterPreprocessBenchmark() {}

  /** One runner's figures; {@code startup} is NaN without a cluster. */
  record Row(String runner, double startup, double seconds, long rows, String digest, String ingest) {
    double samplesPerSecond() {
      return rows / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("ClusterPreprocessBenchmark takes <Flink test class path> <Spark test class "
          + "path> [runners, a subset of flink-1,flink-2,spark], but got " + Arrays.toString(args));
    }
    String flags = System.getProperty("tessera.jvm.flags");
    if (flags == null || flags.isBlank()) {
      throw new IllegalStateException("the system property tessera.jvm.flags is not set: pass "
          + "-Dtessera.jvm.flags=\"$flags\" with the flags of pom.xml (see this class's javadoc)");
    }
    if (System.getenv("TESSERA_DATA_MIRROR") == null) {
      throw new IllegalStateException("TESSERA_DATA_MIRROR is not set: point it at the folder holding mnist/*.gz");
    }
    List<String> jvm = List.of(flags.trim().split("\\s+"));
    String jobClasses = Path.of(PreprocessJob.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    List<String> chosen = List.of((args.length > 2 ? args[2] : "flink-1,flink-2,spark").split(","));
    Path root = Files.createTempDirectory("cluster-preprocess");
    System.out.printf(Locale.ROOT, "CPU: %s; vector flags: %s; %d cores%n", SimdWidth.cpuModel(),
        String.join(" ", SimdWidth.vectorFlags()), Runtime.getRuntime().availableProcessors());
    System.out.println("load average at start: " + loadAverage() + "; work folder " + root);

    long ingestStart = System.nanoTime();
    PreprocessJob.ingest(root.resolve("reference"));
    System.out.printf(Locale.ROOT, "ingest on the DirectRunner (once, the input of every runner): %.1f s%n",
        (System.nanoTime() - ingestStart) / 1e9);

    // name -> class path, holder class, cluster size; the name's words after the first label the table's row.
    Map<String, List<String>> clusters = new LinkedHashMap<>();
    clusters.put("direct DirectRunner", null);
    clusters.put("flink-1 Flink standalone, 1 TaskManager of 2 slots", List.of(args[0], FLINK_CLUSTER, "1"));
    clusters.put("flink-2 Flink standalone, 2 TaskManagers of 2 slots", List.of(args[0], FLINK_CLUSTER, "2"));
    clusters.put("spark Spark standalone, 1 worker of 2 cores", List.of(args[1], SPARK_CLUSTER, "2"));
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, List<String>> entry : clusters.entrySet()) {
      String[] name = entry.getKey().split(" ", 2);
      if (entry.getValue() == null || chosen.contains(name[0])) {
        Row row = measure(name[0], name[1], entry.getValue(), root, jvm, flags, jobClasses);
        System.out.printf(Locale.ROOT, "%s: %s (load average %s)%n", name[0], row, loadAverage());
        rows.add(row);
      }
    }
    System.out.println(table(rows));
    System.out.println("load average at end: " + loadAverage());
    boolean same = rows.stream().allMatch(r -> r.digest().equals(rows.get(0).digest()));
    System.out.println(same ? "digests: every runner wrote " + rows.get(0).digest()
        : "digests DIFFER from the DirectRunner's: " + rows);
    if (!same) {
      System.exit(1);
    }
  }

  /** Starts the cluster ({@code cluster} = class path, main class, size; null for none), runs the job, stops it. */
  private static Row measure(String name, String label, List<String> cluster, Path root, List<String> jvm,
      String flags, String jobClasses) throws IOException, InterruptedException {
    Path dir = root.resolve(name);
    try (LocalProcesses processes = new LocalProcesses(dir.resolve("logs"))) {
      List<String> command = new ArrayList<>(List.of(LocalProcesses.java()));
      command.addAll(jvm);
      List<String> pipelineArgs = new ArrayList<>(List.of("--runner=DirectRunner"));
      double startup = Double.NaN;
      String classPath = System.getProperty("java.class.path");
      if (cluster != null) {
        List<String> holder = new ArrayList<>(command);
        holder.addAll(List.of("-Dtessera.jvm.flags=" + flags, "-cp", cluster.get(0), cluster.get(1),
            dir.resolve("cluster").toString(), cluster.get(2)));
        Process process = processes.start("cluster", holder);
        processes.awaitLog("cluster", process, "cluster-ready", CLUSTER_START);
        pipelineArgs.clear();
        for (String line : processes.log("cluster").lines().toList()) {
          if (line.startsWith("cluster-arg ")) {
            pipelineArgs.add(line.substring("cluster-arg ".length()));
          } else if (line.startsWith("cluster-jvm ")) {
            command.add(line.substring("cluster-jvm ".length()));
          } else if (line.startsWith("cluster-startup ")) {
            startup = Double.parseDouble(line.substring("cluster-startup ".length()).trim());
          }
        }
        classPath = cluster.get(0) + ":" + jobClasses;
      }
      command.addAll(List.of("-cp", classPath, PreprocessJob.class.getName(), root.resolve("reference").toString(),
          dir.resolve("job").toString()));
      command.addAll(pipelineArgs);
      Process job = processes.start("job", command);
      if (!job.waitFor(JOB_MINUTES, TimeUnit.MINUTES) || job.exitValue() != 0) {
        throw new IllegalStateException(name + ": the job did not succeed within " + JOB_MINUTES + " min; its log ("
            + dir.resolve("logs/job.log") + "):\n" + tail(processes.log("job")));
      }
      String result = processes.log("job").lines().filter(l -> l.startsWith(PreprocessJob.RESULT + " "))
          .findFirst().orElseThrow(() -> new IllegalStateException(name + ": no result line in its log:\n"
              + tail(processes.log("job"))));
      String[] parts = result.split(" ");
      System.out.println(name + ": pipeline arguments " + pipelineArgs + "; logs in " + dir.resolve("logs"));
      return new Row(label, startup, Double.parseDouble(parts[1]), Long.parseLong(parts[2]),
          parts[3], parts[4]);
    }
  }

  /** The rows as a Markdown table, each runner's throughput also as a ratio to the first row's (the Direct's). */
  static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder(
        "| runner | cluster start-up | preprocess job, submission to finish | samples/s | ratio to DirectRunner |\n"
            + "| --- | --- | --- | --- | --- |\n");
    double reference = rows.get(0).samplesPerSecond();
    for (Row row : rows) {
      out.append(String.format(Locale.ROOT, "| %s | %s | %.1f s | %,.0f | %.2f |%n", row.runner(),
          Double.isNaN(row.startup()) ? "none" : String.format(Locale.ROOT, "%.1f s", row.startup()),
          row.seconds(), row.samplesPerSecond(), row.samplesPerSecond() / reference));
    }
    return out.toString();
  }

  private static String loadAverage() {
    try {
      return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String tail(String log) {
    return log.length() <= 6_000 ? log : "..." + log.substring(log.length() - 6_000);
  }
}
