package dev.tessera.pipelines.tracking.server;

import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Benchmark (not a test): sustained metrics per second through the spool and log-batch against a real MLflow
 * server (sqlite backend), side by side with logging off ({@link Tracker#none()}), same loop, same JVM.
 *
 * <p>Prints, for {@code N} points: the caller's time per point with logging off and on (what training pays), and
 * the end-to-end rate until the server has acknowledged every point ({@code end()} returns after the drain).
 * Run with the test class path: {@code java -cp <test classpath> dev.tessera.pipelines.tracking.server.SpoolThroughput
 * [points [server workers [send window ...]]]}: one server with that many {@code --workers}, then one run per send
 * window (requests in flight per run; see {@link ServerSettings#sendWindow()}).
 */
public final class SpoolThroughput {
  private SpoolThroughput() {}

  public static void main(String[] args) throws Exception {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    int[] windows = args.length > 2
        ? java.util.Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, ServerSettings.DEFAULT_SEND_WINDOW};
    Path dir = Files.createTempDirectory("tessera-spool-bench");
    Path db = dir.resolve("mlflow.db").toAbsolutePath();
    try (MlflowServer server = MlflowServer.start("sqlite:///" + db, dir.resolve("artifacts").toAbsolutePath(), dir,
        MlflowServer.freePort(), java.util.List.of("--workers", Integer.toString(workers)))) {
      for (int window : windows) {
        System.out.printf("%n== server --workers %d, send window %d ==%n", workers, window);
        measure(server, dir.resolve("spool-" + window), points, window);
      }
    }
  }

  private static void measure(MlflowServer server, Path spool, int points, int window) throws Exception {
    {
      ServerSettings settings = ServerSettings.of(server.uri(), Credentials.none(), spool)
          .withEndTimeout(Duration.ofMinutes(30)).withSendWindow(window);
      try (ServerTracker tracker = ServerTracker.connect(settings)) {
        // Warm-up of both paths (JIT), not measured.
        log(Tracker.none().startRun("bench", "warmup-off", Map.of()), 20_000);
        ServerRun warm = tracker.startRun("bench", "warmup", Map.of());
        log(warm, 20_000);
        warm.end(RunStatus.FINISHED);

        long offStart = System.nanoTime();
        log(Tracker.none().startRun("bench", "off", Map.of()), points);
        long offNanos = System.nanoTime() - offStart;

        ServerRun run = tracker.startRun("bench", "on", Map.of());
        long onStart = System.nanoTime();
        log(run, points);
        long callerNanos = System.nanoTime() - onStart;
        run.end(RunStatus.FINISHED);
        long drainedNanos = System.nanoTime() - onStart;

        System.out.printf("points: %d (5 metric keys), server %s, sqlite backend%n", points, server.uri());
        System.out.printf("logging off:  %.3f us/point in the caller%n", offNanos / 1e3 / points);
        System.out.printf("logging on:   %.3f us/point in the caller (spool append), %.0f points/s%n",
            callerNanos / 1e3 / points, points / (callerNanos / 1e9));
        System.out.printf("to the server: %.0f metrics/s sustained (all %d acknowledged after %.1f s)%n",
            points / (drainedNanos / 1e9), points, drainedNanos / 1e9);
        System.out.printf("caller cost ratio on/off: %.1fx%n", (double) callerNanos / Math.max(1, offNanos));
        System.out.printf("delivery vs logging off: the server took all points in %.0fx the time the loop needed "
            + "with logging off%n", (double) drainedNanos / Math.max(1, offNanos));
        String check = server.get("/api/2.0/mlflow/metrics/get-history?run_id=" + run.id()
            + "&metric_key=m0&max_results=1000000").body();
        long count = check.split("\"step\"", -1).length - 1;
        System.out.printf("server history of m0: %d points (expected %d)%n", count, points / 5);
      }
    }
  }

  private static void log(TrackedRun run, int points) {
    long t = System.currentTimeMillis();
    for (int i = 0; i < points; i++) {
      run.logMetric("m" + (i % 5), i * 1e-3, i / 5, t + i / 5);
    }
  }
}
