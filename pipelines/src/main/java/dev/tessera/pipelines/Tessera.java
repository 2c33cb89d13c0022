package dev.tessera.pipelines;

import dev.tessera.pipelines.artifact.ArtifactStore;
import dev.tessera.pipelines.artifact.RemoteArtifacts;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.Executor;
import dev.tessera.pipelines.exec.RunListener;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.spec.SpecOverride;
import dev.tessera.pipelines.tracking.Tracker;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;

/**
 * Runs an experiment from Java, the way {@code tessera run} does: same executor, cache and MLflow file store, no
 * command line. For tests and notebooks; the result carries the run id, each stage's outcome and its metrics.
 *
 * <pre>{@code
 * RunResult result = Tessera.run(new MyExperiment().define(),
 *     TesseraOptions.in(tempDir).withOverrides("train.epochs=1"));
 * assertEquals(RunOutcome.SUCCEEDED, result.status());
 * double accuracy = result.summary("evaluate", "accuracy");
 * }</pre>
 */
public final class Tessera {
  private Tessera() {}

  /** Runs with {@link TesseraOptions#defaults()}: {@code $TESSERA_HOME} or {@code ./.tessera}, {@code ./mlruns}. */
  public static RunResult run(Experiment experiment) {
    return run(experiment, TesseraOptions.defaults());
  }

  /**
   * Runs the experiment with the options' overrides applied (validated before anything runs).
   *
   * @throws dev.tessera.pipelines.spec.SpecException for an override that does not fit the experiment
   * @throws IllegalArgumentException for an artifact root this machine cannot write to (before any stage runs)
   */
  public static RunResult run(Experiment experiment, TesseraOptions options) {
    Experiment resolved = experiment.withOverrides(SpecOverride.parseAll(options.overrides()));
    Tracker tracker = options.mlruns() == null ? Tracker.none() : FileStoreTracker.at(options.mlruns());
    RemoteArtifacts remote = options.artifactRoot() == null ? null
        : RemoteArtifacts.open(options.artifactRoot(), options.executor().pipelineArgs());
    Executor executor = new Executor(new ArtifactStore(options.home(), remote), new RunStore(options.home()), tracker,
        options.executor(), RunListener.none());
    return executor.run(resolved, options.overrides());
  }
}
