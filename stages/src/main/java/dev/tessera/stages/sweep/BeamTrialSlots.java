package dev.tessera.stages.sweep;

import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.beam.BeamPipelines;
import dev.tessera.pipelines.dag.StageContext;
import dev.tessera.pipelines.spec.Specs;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.train.Train;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * Jobs as elements of a Beam job on the run's runner ({@code --runner=FlinkRunner|SparkRunner}): each batch of
 * submitted jobs becomes one pipeline, {@link TrialJobSource} (one split per job) into {@link RunTrialFn}, which
 * trains and evaluates the trial inside a worker. Workers do not reach the tracker: each writes a
 * {@link TrialOutcome} (the job's record, everything the trial logged, its log lines), and once the Beam job has
 * ended this driver replays the outcome into the trial's child run, logs the lines, and hands the record to the
 * scheduler exactly as a local slot would.
 *
 * <p>The workers read the dataset and write the trial folders ({@code <trials root>/trial-<i>}, with the
 * checkpoints a promoted trial continues from) at the paths this driver has: in local mode ({@code [local]},
 * {@code local[N]}) that is this machine; on a cluster the Tessera home must be shared storage mounted at the
 * same path on every worker, as for the evaluate stage's model. A Beam job that fails as a whole (a worker lost)
 * ends the trials without an outcome as {@code FAILED} with the job's error, and the sweep goes on. Cancelling the
 * sweep (Ctrl-C) cancels the running Beam job ({@code PipelineResult.cancel()}) on runners whose {@code run()}
 * returns while the job runs (the DirectRunner, Spark); Flink's batch jobs in attached mode run to their end
 * first. Either way the trials of that job end without a record, so {@code tessera resume} trains them again.
 */
final class BeamTrialSlots implements TrialSlots {
  /** How long a cancelled sweep waits for its trials still training in this JVM to stop. */
  private static final java.time.Duration STOP_BOUND = java.time.Duration.ofMinutes(2);

  private final StageContext context;
  private final String trainSpec;
  private final String evaluateSpec;
  private final String objective;
  private final Artifact dataset;
  private final Path root;
  private final int capacity;
  private final List<Pending> pending = new ArrayList<>();

  BeamTrialSlots(StageContext context, Train train, Evaluate evaluate, String objective, Artifact dataset, Path root,
      int capacity) {
    this.context = context;
    this.trainSpec = Specs.canonicalJson(train.spec());
    this.evaluateSpec = Specs.canonicalJson(evaluate.spec());
    this.objective = objective;
    this.dataset = dataset;
    this.root = root.toAbsolutePath();
    this.capacity = capacity;
  }

  @Override
  public int capacity() {
    return capacity;
  }

  @Override
  public void submit(TrialRunner.Job job, TrackedRun run) throws IOException {
    Path outcome = root.resolve("outcomes").resolve(job.index() + "-rung" + job.rung() + ".json");
    Files.deleteIfExists(outcome); // left by a batch a crash cut short: not this job's
    TrialJob description = new TrialJob(job.index(), job.trial().values(), job.rung(), job.epochs(), run.id(),
        context.runId(), context.stageName(), context.seed(), context.attempt(), objective, dataset.key(),
        dataset.directory().toAbsolutePath().toString(), dataset.manifest(), root.toString(), trainSpec,
        evaluateSpec, outcome.toString());
    pending.add(new Pending(job, run, description, outcome));
  }

  /** Runs every submitted job as one Beam job and returns them all, in the order they were submitted. */
  @Override
  public List<Ended> awaitEnded() throws Exception {
    List<Pending> batch = List.copyOf(pending);
    pending.clear();
    List<String> elements = batch.stream().map(p -> p.description().toJson()).toList();
    List<Integer> indices = batch.stream().map(p -> p.job().index()).toList();
    Pipeline pipeline = BeamPipelines.create(context.pipelineArgs());
    pipeline.apply("Jobs", Read.from(new TrialJobSource(elements)))
        .apply("TrainAndEvaluate", ParDo.of(new RunTrialFn()));
    RuntimeException failure = null;
    try {
      // Cancelling the sweep cancels the Beam job: its trials end without a record and rerun on resume.
      BeamPipelines.runToCompletion(pipeline, "sweep trials " + indices, this::cancelled);
    } catch (InterruptedException cancelled) {
      RunTrialFn.awaitStopped(root.toString(), STOP_BOUND); // in-process task threads stop at their next check
      throw cancelled;
    } catch (RuntimeException e) {
      failure = e; // the trials that wrote an outcome keep it; the others fail with this error
    }
    List<Ended> ended = new ArrayList<>();
    for (Pending job : batch) {
      ended.add(new Ended(job.job(), collect(job, failure)));
    }
    return ended;
  }

  private SweepRecord collect(Pending job, RuntimeException failure) throws IOException {
    if (!Files.exists(job.outcome())) {
      String error = "the Beam job of trials ended without this trial's outcome: " + (failure == null
          ? "no error was reported" : failure.getClass().getSimpleName() + ": " + rootCause(failure));
      context.progress().log("trial " + job.job().index() + " " + job.job().trial().values() + " failed: " + error);
      job.run().setTags(Map.of("tessera.sweep.failure", error.length() > 4000 ? error.substring(0, 4000) : error));
      return new SweepRecord(job.job().index(), job.job().trial().values(), "FAILED", null, job.run().id(), error,
          job.job().rung(), job.job().epochs());
    }
    TrialOutcome outcome = TrialOutcome.read(job.outcome());
    Files.delete(job.outcome());
    outcome.tracking().replayInto(job.run());
    String prefix = "trial " + job.job().index();
    for (String line : outcome.log()) {
      context.progress().log(line.startsWith(prefix + " ") ? line : prefix + ": " + line);
    }
    if (outcome.mistake() != null) {
      throw new TrialRunner.SweepMistake(outcome.mistake());
    }
    return outcome.record();
  }

  private boolean cancelled() {
    try {
      context.checkCancelled();
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  private static String rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return failure == cause ? String.valueOf(failure.getMessage())
        : failure.getMessage() + " (caused by " + cause + ")";
  }

  @Override
  public void close() {
    pending.clear();
  }

  private record Pending(TrialRunner.Job job, TrackedRun run, TrialJob description, Path outcome) {}
}
