package dev.tessera.stages.sweep;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.ArtifactKind;
import dev.tessera.pipelines.dag.StageContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sweep stage's context as a {@link TrialRunner} on a Beam worker sees it: the run's id, seed and attempt from
 * the {@link TrialJob}, log lines kept for the driver, and the DirectRunner for the evaluate stage's own pipeline
 * (a worker must not start jobs on its cluster; the evaluate stage writes the same figures on every runner). The
 * trial's folders and tracking come from the {@link TrialRunner} itself, so the sweep's own inputs, folders and
 * tracker are not available here.
 */
final class WorkerContext implements StageContext {
  private final TrialJob job;
  private final List<String> log = new ArrayList<>();

  WorkerContext(TrialJob job) {
    this.job = job;
  }

  /** The lines logged so far. */
  synchronized List<String> log() {
    return List.copyOf(log);
  }

  @Override
  public String runId() {
    return job.runId();
  }

  @Override
  public String stageName() {
    return job.stageName();
  }

  @Override
  public long seed() {
    return job.seed();
  }

  @Override
  public int attempt() {
    return job.attempt();
  }

  @Override
  public Artifact input(ArtifactKind kind) {
    throw notOnAWorker("input " + kind);
  }

  @Override
  public List<Artifact> inputs(ArtifactKind kind) {
    throw notOnAWorker("inputs " + kind);
  }

  @Override
  public Path outputDirectory() {
    throw notOnAWorker("its output directory");
  }

  @Override
  public Path workDirectory() {
    throw notOnAWorker("its work directory");
  }

  @Override
  public List<String> pipelineArgs() {
    return List.of("--runner=DirectRunner");
  }

  @Override
  public Progress progress() {
    return new Progress() {
      @Override
      public void update(long done, long total, String message) {
        // The driver reports the sweep's progress per trial.
      }

      @Override
      public void log(String message) {
        synchronized (WorkerContext.this) {
          log.add(message);
        }
      }
    };
  }

  @Override
  public StageTracker tracker() {
    throw notOnAWorker("the tracker");
  }

  /**
   * A worker cannot see the driver's cancellation, but the driver cancels the Beam job, and the runner then
   * interrupts its task threads: the trial stops at its next check, without an outcome.
   */
  @Override
  public void checkCancelled() throws InterruptedException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("the Beam job training this trial was cancelled");
    }
  }

  private static UnsupportedOperationException notOnAWorker(String what) {
    return new UnsupportedOperationException("a sweep trial on a Beam worker asked the sweep stage for " + what
        + ", which only the driver has; a trial reads its inputs and folders from its TrialJob");
  }
}
