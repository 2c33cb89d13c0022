package dev.tessera.stages.sweep;

import dev.tessera.pipelines.spec.Specs;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.evaluate.EvaluateSpec;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.TrainSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Trains and evaluates one {@link TrialJob} (JSON) on a Beam worker, exactly as a local slot would (the same
 * {@link TrialRunner}, in the same trial folder), and writes its {@link TrialOutcome} to the job's outcome file;
 * outputs the outcome as JSON. A failing trial is an outcome, not an exception: an exception here would fail the
 * whole Beam job and with it the other trials of the batch. Holds no state: everything comes with the element.
 */
final class RunTrialFn extends DoFn<String, String> {

  @ProcessElement
  public void processElement(@Element String element, OutputReceiver<String> out) throws Exception {
    TrialJob job = TrialJob.fromJson(element);
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
