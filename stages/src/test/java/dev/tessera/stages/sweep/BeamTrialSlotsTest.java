package dev.tessera.stages.sweep;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.Executor;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.mlflow.FileStoreReader;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.StoredRun;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.testing.SyntheticDigits;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's Beam executor on the DirectRunner ({@code sweep.executor=beam}): trials trained as elements of a Beam
 * job give the local executor's results, their child runs get what the workers logged (the metric histories too),
 * and a failing trial is kept as failed while the sweep goes on. Flink and Spark run the same sweep in their
 * modules ({@code SweepExecutorContract}).
 */
class BeamTrialSlotsTest {
  @TempDir Path dir;

  private static Experiment experiment(Sweep sweep) {
    return Experiment.named("beam-sweep-test").seed(5)
        .stage("source", SyntheticDigits.of(2, 40))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("source"))
        .stage("sweep", sweep, after("preprocess"))
        .build();
  }

  private RunResult run(String name, Sweep sweep) {
    Engine engine = new Engine(dir.resolve(name).resolve("home"));
    engine.tracker = FileStoreTracker.at(dir.resolve(name).resolve("mlruns"));
    return engine.run(experiment(sweep));
  }

  private static Sweep base() {
    return Sweep.of(Train.classifier(Models.mlp(16).withInput(1, 20, 20)).epochs(2).batchSize(20),
        Evaluate.classification());
  }

  /**
   * Ctrl-C while a Beam job of trials runs cancels that job: its trials stop inside their training, end without a
   * record (not as failed), and resume trains them. The test thread polls the trial folders the worker writes to
   * know that training has begun (another thread's progress, not a timing assumption); a job left running would
   * train 100 epochs, end, and leave records behind.
   */
  @Test
  void cancellingTheSweepCancelsItsRunningBeamJobAndResumeTrainsItsTrials() throws Exception {
    Sweep sweep = Sweep.of(Train.classifier(Models.mlp(16).withInput(1, 20, 20)).epochs(100).batchSize(20),
            Evaluate.classification())
        .space("train.optimizer.learningRate=loguniform(1e-3,1e-1)").random(2).parallelism(2).executor("beam")
        .maximize("accuracy");
    Experiment experiment = experiment(sweep);
    Engine engine = new Engine(dir.resolve("home"));
    engine.tracker = FileStoreTracker.at(dir.resolve("mlruns"));
    Executor executor = engine.executor();
    Path shared = dir.resolve("home").resolve("shared");
    Thread canceller = new Thread(() -> {
      try {
        while (!training(shared)) {
          Thread.sleep(10); // polling the worker's folders
        }
        executor.cancel();
      } catch (Exception e) {
        executor.cancel();
      }
    });
    canceller.start();
    RunResult cancelled = executor.run(experiment, List.of());
    canceller.join();
    assertEquals(RunOutcome.CANCELLED, cancelled.status(), String.valueOf(cancelled.run().stages));
    Path root;
    try (Stream<Path> keys = Files.list(shared)) {
      root = keys.findFirst().orElseThrow();
    }
    assertEquals(List.of(), SweepRecord.read(root.resolve("trials.jsonl")),
        "the cancelled job's trials left no record (a FAILED one would keep them from training again)");

    RunResult resumed = engine.executor().resume(engine.runs.load(cancelled.run().runId).orElseThrow(),
        experiment);
    assertEquals(RunOutcome.SUCCEEDED, resumed.status(), String.valueOf(resumed.run().stages));
    List<String> rows = Files.readAllLines(resumed.artifacts().get("sweep").directory().resolve("trials.csv"));
    assertEquals(3, rows.size(), String.join("\n", rows));
    assertTrue(rows.stream().skip(1).allMatch(row -> row.contains(",FINISHED,")), String.join("\n", rows));
  }

  /** Whether a worker has begun training a trial: its checkpoint folder exists. */
  private static boolean training(Path shared) throws java.io.IOException {
    if (!Files.isDirectory(shared)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(shared)) {
      return files.anyMatch(p -> p.getFileName().toString().equals("train-work"));
    }
  }

  @Test
  void trialsTrainedAsBeamElementsGetTheLocalResultsAndTheirChildRunsTheWorkersMetricHistories() throws Exception {
    Sweep sweep = base().space("train.optimizer.learningRate=loguniform(1e-3,1e-1); train.batchSize=choice(10,20)")
        .random(3).parallelism(2).maximize("accuracy");
    RunResult local = run("local", sweep.executor("local"));
    RunResult beam = run("beam", sweep.executor("beam"));

    assertEquals(trialValues(local), trialValues(beam), log(beam));
    assertTrue(log(beam).contains("trials train as elements of Beam jobs on the DirectRunner, 2 per job"),
        log(beam));
    Map<String, StoredRun> localTrials = trials("local");
    Map<String, StoredRun> beamTrials = trials("beam");
    assertEquals(List.of("sweep-0", "sweep-1", "sweep-2"), List.copyOf(beamTrials.keySet()));
    for (String trial : localTrials.keySet()) {
      StoredRun expected = localTrials.get(trial);
      StoredRun actual = beamTrials.get(trial);
      assertEquals(RunStatus.FINISHED, actual.status(), trial);
      assertEquals(history(expected), history(actual), trial + ": every metric point, value and step");
      assertEquals(2, actual.metrics().get("train/epoch/loss").size(), trial + ": the history, a loss per epoch");
      assertEquals(expected.params(), actual.params(), trial);
      assertEquals(expected.tags().get("tessera.sweep.rung"), actual.tags().get("tessera.sweep.rung"), trial);
      assertTrue(Files.isRegularFile(actual.artifactsDirectory().resolve("evaluate").resolve("metrics.json")),
          trial + ": the evaluate stage's artifacts, copied from the trial folder the worker wrote");
    }
  }

  @Test
  void aFailingTrialOnTheBeamPathIsKeptAsFailedWithItsErrorAndTheSweepGoesOn() throws Exception {
    // batchSize 0 is rejected by the train spec on the worker: that trial fails, the other one runs.
    RunResult result = run("failing", base().space("train.batchSize=choice(20,0)").grid(2).parallelism(2)
        .executor("beam").maximize("accuracy"));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    assertEquals(1.0, result.summary("sweep", "failed_trials"));
    List<String> csv = Files.readAllLines(result.artifacts().get("sweep").directory().resolve("trials.csv"));
    assertTrue(csv.get(1).contains(",FINISHED,") && csv.get(2).contains(",FAILED,"), csv.toString());
    StoredRun failed = trials("failing").get("sweep-1");
    assertEquals(RunStatus.FAILED, failed.status());
    String error = failed.tags().get("tessera.sweep.failure");
    assertTrue(error != null && error.contains("batchSize"), "the worker's error, on the child run: " + error);
    assertTrue(log(result).contains("trial 1 {train.batchSize=0} failed: "), log(result));
    assertTrue(log(result).contains("trial 0: train: training"), "the worker's log lines: " + log(result));
  }

  @Test
  void aBeamJobThatFailsAsAWholeFailsItsTrialsWithTheJobsErrorAndTheSweepGoesOn() throws Exception {
    Sweep sweep = base().space("train.optimizer.learningRate=loguniform(1e-3,1e-1)").executor("beam")
        .maximize("accuracy");
    RunResult first = run("whole", sweep.random(1));
    assertEquals(RunOutcome.SUCCEEDED, first.status(), String.valueOf(first.run().stages));
    Path root;
    try (Stream<Path> files = Files.walk(dir.resolve("whole").resolve("home"))) {
      root = files.filter(p -> p.endsWith("trials.jsonl")).findFirst().orElseThrow().getParent();
    }
    // A folder where the worker writes trial 1's outcome: the worker's write fails, and with it the Beam job.
    Files.createDirectories(root.resolve("outcomes").resolve("1-rung0.json.tmp").resolve("in-the-way"));

    RunResult second = run("whole", sweep.random(2));
    assertEquals(RunOutcome.SUCCEEDED, second.status(), String.valueOf(second.run().stages));
    assertEquals(1.0, second.summary("sweep", "failed_trials"));
    StoredRun failed = trials("whole").get("sweep-1");
    assertEquals(RunStatus.FAILED, failed.status());
    String error = failed.tags().get("tessera.sweep.failure");
    assertTrue(error != null && error.startsWith("the Beam job of trials ended without this trial's outcome: ")
        && error.contains("1-rung0.json.tmp"), error);
  }

  @Test
  void ashaOnTheBeamPathPromotesTrialsFromTheCheckpointsTheirWorkersLeft() throws Exception {
    // 80 training samples in batches of 20: 4 steps an epoch. Rungs at 1, 2 and 4 epochs.
    RunResult result = run("asha", base().space("train.optimizer.learningRate=loguniform(1e-3,3e-1)").random(4)
        .asha(1, 4, 2).parallelism(2).executor("beam").maximize("accuracy"));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    Path out = result.artifacts().get("sweep").directory();
    List<String> rungs = Files.readAllLines(out.resolve("rungs.csv"));
    assertEquals(4, Integer.parseInt(rungs.get(1).split(",")[2]), "every trial reports at rung 0: " + rungs);
    assertTrue(Integer.parseInt(rungs.get(3).split(",")[2]) >= 1, "a trial reached the top rung: " + rungs);
    assertTrue(result.summary("sweep", "epochs_trained") < 16, rungs.toString());
    // The best trial trained 4 epochs in three Beam jobs: each went on from the checkpoint the one before left.
    String metadata = Files.readString(out.resolve("model").resolve("tessera-model.json"));
    assertTrue(metadata.contains("\"steps\" : 16"), metadata);
    assertTrue(log(result).contains("resuming from checkpoint"), log(result));
    assertEquals(4, trials("asha").size(), "one child run per trial, across its rungs");
  }

  @Test
  void rejectsAnUnknownExecutorNamingTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> base().executor("cluster"));
    assertTrue(e.getMessage().startsWith("sweep.executor must be one of [auto, local, beam], but was 'cluster'"),
        e.getMessage());
  }

  /** Each trial's settings and objective from trials.csv, without its run id. */
  static List<String> trialValues(RunResult result) throws Exception {
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    return Files.readAllLines(result.artifacts().get("sweep").directory().resolve("trials.csv")).stream()
        .map(l -> l.replaceFirst(",[^,]*,", ",")).toList();
  }

  private static String log(RunResult result) throws Exception {
    return Files.readString(result.runDirectory().resolve("logs").resolve("sweep.log"));
  }

  /** The child runs of the sweep, by run name. */
  private Map<String, StoredRun> trials(String name) {
    return FileStoreReader.at(dir.resolve(name).resolve("mlruns")).runs().stream()
        .filter(r -> r.tags().containsKey("mlflow.parentRunId"))
        .collect(Collectors.toMap(StoredRun::runName, r -> r, (a, b) -> a, TreeMap::new));
  }

  /**
   * Every metric's points as value@step, without the times; the share of time spent waiting for data is a
   * measurement of the machine, not of the training, so only its steps count.
   */
  private static Map<String, List<String>> history(StoredRun run) {
    Map<String, List<String>> history = new TreeMap<>();
    run.metrics().forEach((key, points) -> history.put(key, points.stream()
        .map(p -> (key.endsWith("data_wait_fraction") ? "timing" : Double.toString(p.value())) + "@" + p.step())
        .toList()));
    return history;
  }
}
