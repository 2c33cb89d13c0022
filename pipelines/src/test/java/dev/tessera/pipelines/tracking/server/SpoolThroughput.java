package dev.tessera.pipelines.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.testing.PostgresServer;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.Tracker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): sustained metrics per second through the spool and log-batch against a real MLflow
 * server, side by side with logging off ({@link Tracker#none()}), same loop, same JVM.
 *
 * <p>Run with the test class path: {@code java -cp <test classpath>
 * dev.tessera.pipelines.tracking.server.SpoolThroughput [points=200000] [backend=sqlite|postgres|file]
 * [workers=1] [runs=1] [http=uvicorn|gunicorn] [windows=1,4]}: one server with that backend and that many
 * {@code --workers} (postgres: a private cluster from {@link PostgresServer}; file: MLflow's file store; gunicorn:
 * {@code --gunicorn-opts}, MLflow's Flask app without the FastAPI layer), then one measurement per send window
 * (requests in flight per run; see {@link ServerSettings#sendWindow()}). With {@code runs=R} the points are split over R runs logged and
 * drained at the same time from R threads (as R training jobs sharing one server).
 *
 * <p>Prints the caller's time per point with logging off and on, the end-to-end rate until the server has
 * acknowledged every point ({@code end()} returns after the drain), and the CPU time per 1000 metrics spent by
 * this JVM, the MLflow server's process tree and PostgreSQL's, with the machine's busy cores, so that the limit
 * shows. Afterwards it reads every key's full history back and checks that each point is there exactly once with
 * its value.
 */
public final class SpoolThroughput {
  private static final int KEYS = 5;
  private static final int WARMUP_POINTS = 60_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TICKS_PER_SECOND = 100; // USER_HZ of /proc/<pid>/stat on Linux
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private SpoolThroughput() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(Map.of(
        "points", "200000", "backend", "sqlite", "workers", "1", "runs", "1", "http", "uvicorn",
        "windows", "1," + ServerSettings.DEFAULT_SEND_WINDOW));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2 || !options.containsKey(kv[0])) {
        throw new IllegalArgumentException("argument '" + arg + "' must be one of " + options.keySet()
            + " as key=value");
      }
      options.put(kv[0], kv[1]);
    }
    int points = Integer.parseInt(options.get("points"));
    String backend = options.get("backend");
    int workers = Integer.parseInt(options.get("workers"));
    int runs = Integer.parseInt(options.get("runs"));
    int[] windows = Arrays.stream(options.get("windows").split(",")).mapToInt(Integer::parseInt).toArray();
    if (points % (runs * KEYS) != 0) {
      throw new IllegalArgumentException("points must be a multiple of runs x " + KEYS + ", but was " + points);
    }
    Path dir = Files.createTempDirectory("tessera-spool-bench");
    List<String> extra = switch (options.get("http")) {
      case "uvicorn" -> List.of("--workers", Integer.toString(workers));
      // Flask under gunicorn's sync workers, without the FastAPI/ASGI layer uvicorn serves it through.
      case "gunicorn" -> List.of("--workers", Integer.toString(workers), "--gunicorn-opts", "--timeout 120");
      default -> throw new IllegalArgumentException("http must be uvicorn or gunicorn, but was "
          + options.get("http"));
    };
    PostgresServer postgres = backend.equals("postgres") ? PostgresServer.start() : null;
    try (MlflowServer server = switch (backend) {
      case "sqlite" -> MlflowServer.start("sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(),
          dir.resolve("artifacts").toAbsolutePath(), dir, MlflowServer.freePort(), extra);
      case "postgres" -> MlflowServer.postgres(postgres, dir.resolve("artifacts"), extra);
      case "file" -> MlflowServer.start(dir.resolve("mlruns").toAbsolutePath().toString(), null, dir,
          MlflowServer.freePort(), extra);
      default -> throw new IllegalArgumentException("backend must be sqlite, postgres or file, but was " + backend);
    }) {
      for (int window : windows) {
        System.out.printf("%n== %s backend, %s --workers %d, %d run(s) at once, send window %d ==%n", backend,
            options.get("http"), workers, runs, window);
        measure(server, postgres, dir.resolve("spool-" + window), points, runs, window);
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void measure(MlflowServer server, PostgresServer postgres, Path spool, int points, int runs,
      int window) throws Exception {
    ServerSettings settings = ServerSettings.of(server.uri(), Credentials.none(), spool)
        .withEndTimeout(Duration.ofMinutes(30)).withSendWindow(window);
    int perRun = points / runs;
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    try (ServerTracker tracker = ServerTracker.connect(settings)) {
      // Warm-up of both paths (JIT, server caches), not measured; with fewer points the JIT compiler threads still
      // took ~20 ms of CPU per 1000 measured metrics, more than the sender itself.
      log(Tracker.none().startRun("bench", "warmup-off", Map.of()), WARMUP_POINTS);
      ServerRun warm = tracker.startRun("bench", "warmup", Map.of());
      log(warm, WARMUP_POINTS);
      warm.end(RunStatus.FINISHED);

      long offStart = System.nanoTime();
      log(Tracker.none().startRun("bench", "off", Map.of()), perRun);
      long offNanos = System.nanoTime() - offStart;

      List<ServerRun> started = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        started.add(tracker.startRun("bench", "on-" + r, Map.of()));
      }
      Map<String, Double> threadsBefore = jvmThreads();
      Cpu before = Cpu.now(server, postgres);
      long onStart = System.nanoTime();
      List<Future<long[]>> callers = new ArrayList<>();
      for (ServerRun run : started) {
        callers.add(pool.submit(() -> {
          long t = System.nanoTime();
          long cpu = THREADS.getCurrentThreadCpuTime();
          log(run, perRun);
          long[] caller = {System.nanoTime() - t, THREADS.getCurrentThreadCpuTime() - cpu};
          run.end(RunStatus.FINISHED);
          return caller;
        }));
      }
      long callerNanos = 0;
      long callerCpuNanos = 0;
      for (Future<long[]> caller : callers) {
        callerNanos = Math.max(callerNanos, caller.get()[0]);
        callerCpuNanos += caller.get()[1];
      }
      long drainedNanos = System.nanoTime() - onStart;
      Cpu used = Cpu.now(server, postgres).minus(before);
      Map<String, Double> threadsUsed = jvmThreads();
      threadsBefore.forEach((name, sec) -> threadsUsed.merge(name, -sec, Double::sum));

      double seconds = drainedNanos / 1e9;
      System.out.printf("points: %d (%d metric keys, %d run(s)), server %s%n", points, KEYS, runs, server.uri());
      System.out.printf("logging off:  %.3f us/point in the caller%n", offNanos / 1e3 / perRun);
      System.out.printf("logging on:   %.3f us/point in the caller (spool append)%n", callerNanos / 1e3 / perRun);
      System.out.printf("to the server: %.0f metrics/s sustained (all %d acknowledged after %.1f s)%n",
          points / seconds, points, seconds);
      double per1000 = 1000.0 / points;
      System.out.printf("CPU per 1000 metrics: this JVM %.0f ms (%.0f ms of it in the logging calls), mlflow server "
              + "%.0f ms, postgres %.0f ms; machine busy %.2f of %d cores, of which other processes %.2f%n",
          used.jvmSeconds * 1e3 * per1000, callerCpuNanos / 1e6 * per1000, used.serverSeconds * 1e3 * per1000,
          used.postgresSeconds * 1e3 * per1000,
          used.machineBusySeconds / seconds, Runtime.getRuntime().availableProcessors(),
          Math.max(0, used.machineBusySeconds - used.jvmSeconds - used.serverSeconds - used.postgresSeconds)
              / seconds);
      StringBuilder split = new StringBuilder();
      threadsUsed.entrySet().stream().filter(e -> e.getValue() > 0)
          .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(6)
          .forEach(e -> split.append(String.format(" %s %.1f ms,", e.getKey(), e.getValue() * 1e3 * per1000)));
      double alive = threadsUsed.values().stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).sum();
      System.out.printf("this JVM's CPU per 1000 metrics by thread:%s exited meanwhile (the senders) %.1f ms%n",
          split, Math.max(0, used.jvmSeconds - alive) * 1e3 * per1000);
      for (ServerRun run : started) {
        verify(server, run.id(), perRun);
      }
      System.out.printf("server history: every point of the %d run(s) present exactly once with its value%n", runs);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void log(TrackedRun run, int points) {
    long t = System.currentTimeMillis();
    for (int i = 0; i < points; i++) {
      run.logMetric("m" + (i % KEYS), value(i), i / KEYS, t + i / KEYS);
    }
  }

  private static double value(int i) {
    return i * 1e-3;
  }

  /** Reads each key's whole history (all pages) and fails unless every logged step is there once, with its value. */
  private static void verify(MlflowServer server, String runId, int points) throws IOException {
    for (int k = 0; k < KEYS; k++) {
      String key = "m" + k;
      Set<Long> steps = new HashSet<>();
      long count = 0;
      String token = "";
      do {
        String body = server.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=" + key
            + "&max_results=25000" + (token.isEmpty() ? "" : "&page_token="
            + URLEncoder.encode(token, StandardCharsets.UTF_8))).body();
        JsonNode page = JSON.readTree(body);
        for (JsonNode m : page.path("metrics")) {
          long step = m.path("step").asLong();
          count++;
          if (!steps.add(step)) {
            throw new AssertionError("run " + runId + " key " + key + ": step " + step + " is on the server twice");
          }
          double expected = value((int) step * KEYS + k);
          if (m.path("value").asDouble() != expected) {
            throw new AssertionError("run " + runId + " key " + key + " step " + step + ": value "
                + m.path("value") + ", expected " + expected);
          }
        }
        token = page.path("next_page_token").asText("");
      } while (!token.isEmpty());
      if (count != points / KEYS || steps.size() != points / KEYS) {
        throw new AssertionError("run " + runId + " key " + key + ": " + count + " points on the server, expected "
            + points / KEYS);
      }
    }
  }

  /**
   * CPU seconds of this JVM's threads (Java and JVM-internal ones such as JIT compilers and GC workers) by name,
   * digits blanked so that a pool counts as one group; from /proc/self/task, so only threads alive now count.
   */
  private static Map<String, Double> jvmThreads() throws IOException {
    Map<String, Double> groups = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9a-f]{6,}|\\d+",
              "#");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          groups.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND, Double::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return groups;
  }

  /** CPU seconds used so far by this JVM, the server's process tree, PostgreSQL's, and the whole machine. */
  private record Cpu(double jvmSeconds, double serverSeconds, double postgresSeconds, double machineBusySeconds) {
    static Cpu now(MlflowServer server, PostgresServer postgres) throws IOException {
      double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime() / 1e9;
      Optional<ProcessHandle> pg = postgres == null ? Optional.empty() : postgres.process();
      return new Cpu(jvm, tree(server.process()), pg.map(Cpu::tree).orElse(0.0), machineBusy());
    }

    Cpu minus(Cpu o) {
      return new Cpu(jvmSeconds - o.jvmSeconds, serverSeconds - o.serverSeconds, postgresSeconds - o.postgresSeconds,
          machineBusySeconds - o.machineBusySeconds);
    }

    /**
     * utime + stime of a process and its live descendants, plus cutime + cstime: the time of children that exited
     * and were waited for (PostgreSQL's backends end with their connections; the postmaster reaps them).
     */
    private static double tree(ProcessHandle root) {
      return Stream.concat(Stream.of(root), root.descendants()).mapToDouble(p -> {
        try {
          String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          return (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]))
              / TICKS_PER_SECOND; // fields 14 to 17
        } catch (IOException | RuntimeException gone) {
          return 0;
        }
      }).sum();
    }

    /** Busy time of all CPUs since boot, from the first line of /proc/stat (all but idle and iowait). */
    private static double machineBusy() throws IOException {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / TICKS_PER_SECOND;
    }
  }
}
