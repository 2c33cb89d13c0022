package dev.tessera.stages.sweep;

import dev.tessera.pipelines.spec.Specs;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.evaluate.EvaluateSpec;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.TrainSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Trains and evaluates one {@link TrialJob} (JSON) on a Beam worker, exactly as a local slot would (the same
 * {@link TrialRunner}, in the same trial folder), and writes its {@link TrialOutcome} to the job's outcome file;
 * outputs the outcome as JSON. A failing trial is an outcome, not an exception: an exception here would fail the
 * whole Beam job and with it the other trials of the batch. Holds no state: everything comes with the element.
 */
final class RunTrialFn extends DoFn<String, String> {
  /** Trials training in this JVM, by their sweep's trials folder: what a cancelled sweep waits for. */
  private static final Map<String, Integer> RUNNING = new HashMap<>();

  @ProcessElement
  public void processElement(@Element String element, OutputReceiver<String> out) throws Exception {
    TrialJob job = TrialJob.fromJson(element);
    change(job.trialsRoot(), 1);
    try {
      train(job, out);
    } finally {
      change(job.trialsRoot(), -1);
    }
  }

  /**
   * Waits, at most {@code bound}, until no trial of the sweep whose trials folder is {@code trialsRoot} trains in
   * this JVM any more. Cancelling a Beam job returns before the runner's task threads have stopped (they stop at
   * their trial's next check); on the in-process runners those threads would otherwise still write into the trial
   * folders while the stage is resumed in the same JVM. Trials on other machines are not seen here, and their
   * folders are not the driver's. The caller's interrupt flag is kept.
   */
  static void awaitStopped(String trialsRoot, Duration bound) {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + bound.toNanos();
    try {
      synchronized (RUNNING) {
        long left;
        while (RUNNING.getOrDefault(trialsRoot, 0) > 0 && (left = deadline - System.nanoTime()) > 0) {
          try {
            RUNNING.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void change(String trialsRoot, int by) {
    synchronized (RUNNING) {
      RUNNING.merge(trialsRoot, by, Integer::sum);
      RUNNING.remove(trialsRoot, 0);
      RUNNING.notifyAll();
    }
  }

  private static void train(TrialJob job, OutputReceiver<String> out) throws Exception {
    WorkerContext context = new WorkerContext(job);
    RecordingRun run = new RecordingRun(job.childRunId());
    run.setTags(Map.of("tessera.sweep.worker", worker()));
    Train train = new Train(Specs.mapper().readValue(job.trainSpec(), TrainSpec.class));
    Evaluate evaluate = new Evaluate(Specs.mapper().readValue(job.evaluateSpec(), EvaluateSpec.class));
    TrialRunner runner = new TrialRunner(context, train, evaluate, job.objective(), job.dataset(),
        Path.of(job.trialsRoot()));
    TrialOutcome outcome;
    try {
      SweepRecord record = runner.run(job.job(), run);
      outcome = new TrialOutcome(record, run.recording(), context.log(), null);
    } catch (TrialRunner.SweepMistake mistake) {
      outcome = new TrialOutcome(null, run.recording(), context.log(), mistake.getMessage());
    }
    outcome.write(Path.of(job.outcomeFile()));
    out.output(Specs.mapper().writeValueAsString(outcome));
  }

  /** Which worker trains the trial: the host and the runner's thread (a Flink slot, a Spark task). */
  private static String worker() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown host";
    }
    return host + " (" + Thread.currentThread().getName() + ")";
  }
}
