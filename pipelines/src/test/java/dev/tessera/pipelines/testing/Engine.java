package dev.tessera.pipelines.testing;

import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.Executor;
import dev.tessera.pipelines.exec.ExecutorOptions;
import dev.tessera.pipelines.exec.RetryPolicy;
import dev.tessera.pipelines.exec.RunListener;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.tracking.Tracker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A Tessera home in a test directory, with the real store, run store and executor. */
public final class Engine {
  public final Path home;
  public final ArtifactStore store;
  public final RunStore runs;
  public ExecutorOptions options = ExecutorOptions.defaults()
      .withRetry(new RetryPolicy(3, Duration.ofMillis(10), 2.0, Duration.ofMillis(100)));
  public Tracker tracker = Tracker.none();

  public Engine(Path home) {
    this.home = home;
    this.store = new ArtifactStore(home);
    this.runs = new RunStore(home);
  }

  public Executor executor() {
    return new Executor(store, runs, tracker, options, RunListener.none());
  }

  public RunResult run(Experiment experiment) {
    return executor().run(experiment, List.of());
  }
}
