package dev.tessera.runners.cli;

import dev.tessera.experiments.MnistLenet;
import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.Executor;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RunListener;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.pipelines.spec.SpecOverride;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.server.Credentials;
import dev.tessera.pipelines.tracking.server.ServerSettings;
import dev.tessera.pipelines.tracking.server.ServerTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark (not a test): the logging share of mnist-lenet's training step time against a real MLflow server
 * (sqlite, 1 worker), side by side with logging off ({@link Tracker#none()}) in the same JVM.
 *
 * <p>Runs mnist-lenet through the executor (ingest and preprocess cached after the first run) several times,
 * alternating logging off and on, each with another {@code train.seed} so that train runs every time. Logs
 * {@code train/loss} and {@code train/accuracy} on every step ({@code train.logEverySteps=1}, the worst case).
 * Prints, per run, the train stage's time per step, and for the runs logging to the server the time the train
 * stage spent inside tracker calls (timed around each call), as a share of the stage's time.
 *
 * <p>Needs {@code TESSERA_DATA_MIRROR}. Arguments: {@code [ingest.limit [pairs]]}, default 6000 and 2.
 */
public final class TrainLoggingShare {
  private TrainLoggingShare() {}

  public static void main(String[] args) throws Exception {
    int limit = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
    int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    if (System.getenv("TESSERA_DATA_MIRROR") == null) {
      throw new IllegalStateException(
          "set TESSERA_DATA_MIRROR to the offline data mirror (a folder holding mnist/*.gz)");
    }
    Path dir = Files.createTempDirectory("tessera-log-share");
    try (MlflowServer server = MlflowServer.sqlite(dir.resolve("mlflow.db"), dir.resolve("artifacts"));
        ServerTracker serverTracker = ServerTracker.connect(ServerSettings.of(server.uri(), Credentials.none(),
            dir.resolve("home/spool")))) {
      ArtifactStore store = new ArtifactStore(dir.resolve("home"));
      RunStore runs = new RunStore(dir.resolve("home"));
      // Warm-up: fills the cache for ingest and preprocess and warms the JIT; not measured.
      run(store, runs, Tracker.none(), limit, 1000);
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        for (boolean on : new boolean[] {false, true}) {
          TimedTracker timed = new TimedTracker(on ? serverTracker : Tracker.none());
          RunResult result = run(store, runs, timed, limit, 2 * i + (on ? 1 : 0));
          StageRecord train = result.run().stages.get("train");
          long steps = timed.trainPoints.get() / 2;
          double stepMillis = (double) train.durationMillis() / Math.max(1, steps);
          lines.add(String.format(java.util.Locale.ROOT,
              "%-4s train %6d ms, %4d steps, %7.2f ms/step; time in tracker calls during train: %8.3f ms "
                  + "(%.3f%% of the stage; %.1f us per call)",
              on ? "on" : "off", train.durationMillis(), steps, stepMillis, timed.trainNanos.get() / 1e6,
              100.0 * timed.trainNanos.get() / 1e6 / Math.max(1, train.durationMillis()),
              timed.trainNanos.get() / 1e3 / Math.max(1, timed.trainCalls.get())));
          System.out.println(lines.get(lines.size() - 1));
        }
      }
      System.out.printf("%nmnist-lenet, ingest.limit=%d, train.epochs=1, train.logEverySteps=1, server %s (sqlite, "
          + "1 worker)%n", limit, server.uri());
      lines.forEach(System.out::println);
    }
  }

  private static RunResult run(ArtifactStore store, RunStore runs, Tracker tracker, int limit, int seed) {
    List<String> overrides = List.of("ingest.limit=" + limit, "train.epochs=1", "train.logEverySteps=1",
        "train.seed=" + seed);
    Experiment experiment = new MnistLenet().define().withOverrides(SpecOverride.parseAll(overrides));
    Executor executor = new Executor(store, runs, tracker, ExecutorOptions.defaults(), RunListener.none());
    RunResult result = executor.run(experiment, overrides);
    if (!result.run().status.name().equals("SUCCEEDED")) {
      throw new IllegalStateException("run " + result.run().runId + " ended " + result.run().status);
    }
    return result;
  }

  /** Times every call of the train stage into the tracker (metrics and artifacts under {@code train/}). */
  private static final class TimedTracker implements Tracker {
    final Tracker delegate;
    final AtomicLong trainNanos = new AtomicLong();
    final AtomicLong trainCalls = new AtomicLong();
    final AtomicLong trainPoints = new AtomicLong();

    TimedTracker(Tracker delegate) {
      this.delegate = delegate;
    }

    @Override
    public TrackedRun startRun(String experimentName, String runName, Map<String, String> tags) {
      TrackedRun run = delegate.startRun(experimentName, runName, tags);
      return new TrackedRun() {
        @Override
        public String id() {
          return run.id();
        }

        @Override
        public void logParams(Map<String, String> params) {
          run.logParams(params);
        }

        @Override
        public void setTags(Map<String, String> tags) {
          run.setTags(tags);
        }

        @Override
        public void logMetric(String key, double value, long step, long timestampMillis) {
          long start = System.nanoTime();
          run.logMetric(key, value, step, timestampMillis);
          if (key.startsWith("train/loss") || key.startsWith("train/accuracy")) {
            trainNanos.addAndGet(System.nanoTime() - start);
            trainCalls.incrementAndGet();
            trainPoints.incrementAndGet();
          }
        }

        @Override
        public void logArtifact(Path source, String artifactPath) {
          long start = System.nanoTime();
          run.logArtifact(source, artifactPath);
          if (artifactPath.startsWith("train/")) {
            trainNanos.addAndGet(System.nanoTime() - start);
            trainCalls.incrementAndGet();
          }
        }

        @Override
        public TrackedRun startChild(String runName, Map<String, String> tags) {
          return run.startChild(runName, tags);
        }

        @Override
        public void end(RunStatus status) {
          run.end(status);
        }
      };
    }

    @Override
    public Optional<TrackedRun> reopen(String experimentName, String trackedRunId) {
      return delegate.reopen(experimentName, trackedRunId);
    }

    @Override
    public String location() {
      return delegate.location();
    }
  }
}
