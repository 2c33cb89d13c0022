package dev.tessera.stages.sweep;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.tracking.mlflow.FileStoreReader;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.StoredRun;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.testing.SyntheticDigits;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;
import dev.tessera.stages.train.TrainSpec;
import dev.tessera.stages.train.ValidationSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep stage end to end on synthetic digits: trials train and evaluate with their overrides, each as a child
 * MLflow run, a failing trial is kept as failed, and the best trial's model is the output.
 */
class SweepStageTest {
  @TempDir Path dir;

  private RunResult run(Sweep sweep) {
    Experiment experiment = Experiment.named("sweep-test").seed(5)
        .stage("source", SyntheticDigits.of(2, 40))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("source"))
        .stage("sweep", sweep, after("preprocess"))
        .build();
    Engine engine = new Engine(dir.resolve("home"));
    engine.tracker = FileStoreTracker.at(dir.resolve("mlruns"));
    return engine.run(experiment);
  }

  private static Sweep base() {
    return Sweep.of(Train.classifier(Models.mlp(16).withInput(1, 20, 20)).epochs(1).batchSize(20),
        Evaluate.classification());
  }

  @Test
  void runsEachTrialAsAChildRunAndOutputsTheBestModel() throws Exception {
    RunResult result = run(base()
        .space("train.optimizer.learningRate=loguniform(1e-3,1e-1); train.epochs=choice(1,2)").random(3).maximize("accuracy"));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    Path out = result.artifacts().get("sweep").directory();
    List<String> csv = Files.readAllLines(out.resolve("trials.csv"));
    assertEquals(4, csv.size(), String.join("\n", csv));
    assertEquals("trial,run_id,status,accuracy,rung,epochs,train.optimizer.learningRate,train.epochs", csv.get(0));
    double best = result.summary("sweep", "best_accuracy");
    double max = csv.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[3])).max().orElseThrow();
    assertEquals(max, best, 0.0);
    assertTrue(Files.isDirectory(out.resolve("model")), "the best trial's model is the output");
    assertTrue(Files.isRegularFile(out.resolve("optimization_history.png")));
    assertTrue(Files.isRegularFile(out.resolve("parallel_coordinates.png")));
    assertTrue(Files.isRegularFile(out.resolve("parameter_importance.png")));
    assertEquals(3, childRuns(), "one child run per trial");
  }

  @Test
  void aFailingTrialIsKeptAsFailedAndTheSweepGoesOn() throws Exception {
    // batchSize 0 is rejected by the train spec: that trial fails, the other one runs.
    RunResult result = run(base().space("train.batchSize=choice(20,0)").grid(2).maximize("accuracy"));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    assertEquals(1.0, result.summary("sweep", "failed_trials"));
    List<String> csv = Files.readAllLines(result.artifacts().get("sweep").directory().resolve("trials.csv"));
    assertTrue(csv.get(2).contains(",FAILED,"), csv.toString());
  }

  @Test
  void anObjectiveTheEvaluateStageDoesNotReportFailsTheSweepNamingTheFigures() {
    RunResult result = run(base().random(2).maximize("acuracy"));
    assertEquals(RunOutcome.FAILED, result.status());
    String error = result.run().stages.get("sweep").error;
    assertTrue(error.contains("sweep.objective 'acuracy' is not a figure of the evaluate stage"), error);
  }

  @Test
  void aTrainFigureObjectiveChoosesTrialsOnTheValidationSamplesNotTheTestSplit() throws Exception {
    Train train = new Train(TrainSpec.defaults(Models.mlp(16).withInput(1, 20, 20)).withEpochs(1).withBatchSize(20)
        .withValidation(new ValidationSpec("", 0.25)));
    RunResult result = run(Sweep.of(train, Evaluate.classification())
        .space("train.optimizer.learningRate=loguniform(1e-3,3e-1)").random(3).maximize("train.val_accuracy"));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    List<String> csv = Files.readAllLines(result.artifacts().get("sweep").directory().resolve("trials.csv"));
    assertEquals("trial,run_id,status,train.val_accuracy,rung,epochs,train.optimizer.learningRate", csv.get(0));
    List<StoredRun> children = FileStoreReader.at(dir.resolve("mlruns")).runs().stream()
        .filter(r -> r.tags().containsKey("mlflow.parentRunId")).toList();
    assertEquals(3, children.size());
    for (String row : csv.subList(1, csv.size())) {
      String[] cells = row.split(",");
      StoredRun child = children.stream().filter(r -> r.runId().equals(cells[1])).findFirst().orElseThrow();
      List<Double> validation = child.metrics().get("train/val/accuracy").stream().map(m -> m.value()).toList();
      assertEquals(validation.get(validation.size() - 1), Double.parseDouble(cells[3]), 0.0,
          "the objective is the trial's validation accuracy: " + child.metrics().keySet());
    }
    double best = csv.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[3])).max().orElseThrow();
    assertEquals(best, result.summary("sweep", "best_train.val_accuracy"), 0.0);
    String bestRun = csv.stream().skip(1).filter(l -> Double.parseDouble(l.split(",")[3]) == best).findFirst()
        .orElseThrow().split(",")[1];
    StoredRun chosen = children.stream().filter(r -> r.runId().equals(bestRun)).findFirst().orElseThrow();
    assertEquals(chosen.metrics().get("evaluate/accuracy").get(0).value(),
        result.summary("sweep", "best_evaluate.accuracy"), 0.0, "the chosen trial's test accuracy, on the parent");
  }

  @Test
  void aValidationObjectiveWithoutValidationSaysHowToTurnItOn() {
    RunResult result = run(base().random(1).maximize("train.val_accuracy"));
    assertEquals(RunOutcome.FAILED, result.status());
    String error = result.run().stages.get("sweep").error;
    assertTrue(error.contains("sweep.objective 'train.val_accuracy' is not a figure of the train stage"), error);
    assertTrue(error.contains("set train.validation.holdoutFraction"), error);
  }

  @Test
  void ashaPromotesTheBestTrialsByContinuingFromTheirCheckpoints() throws Exception {
    // 80 training samples in batches of 20: 4 steps an epoch. Rungs at 1, 2 and 4 epochs.
    RunResult result = run(base().space("train.optimizer.learningRate=loguniform(1e-3,3e-1)").random(4)
        .asha(1, 4, 2).maximize("accuracy"));
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    Path out = result.artifacts().get("sweep").directory();
    List<String> rungs = Files.readAllLines(out.resolve("rungs.csv"));
    assertEquals("rung,epochs,reported,promoted,stopped,epochs_trained", rungs.get(0));
    assertEquals(4, Integer.parseInt(rungs.get(1).split(",")[2]), "every trial reports at rung 0: " + rungs);
    assertTrue(Integer.parseInt(rungs.get(3).split(",")[2]) >= 1, "a trial reached the top rung: " + rungs);

    double trained = result.summary("sweep", "epochs_trained");
    assertEquals(rungs.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[5])).sum(), trained);
    assertEquals(16.0, result.summary("sweep", "epochs_without_stopping"));
    assertTrue(trained < 16, "halving trained " + trained + " epochs, not less than 4 trials x 4 epochs");
    assertTrue(result.summary("sweep", "stopped_trials") >= 1);

    // The best trial trained 4 epochs in three jobs: its step counter went on from each rung's checkpoint.
    String metadata = Files.readString(out.resolve("model").resolve("tessera-model.json"));
    assertTrue(metadata.contains("\"steps\" : 16"), metadata);
    String log = Files.readString(result.runDirectory().resolve("logs").resolve("sweep.log"));
    assertTrue(log.contains("resuming from checkpoint") && log.contains("step 4")
        && log.contains("step 8"), log);
    List<String> csv = Files.readAllLines(out.resolve("trials.csv"));
    assertTrue(csv.stream().anyMatch(l -> l.contains(",STOPPED,")), String.join("\n", csv));
    assertEquals(4, childRuns(), "one child run per trial, across its rungs");
    assertEquals(result.summary("sweep", "stopped_trials"), (double) tagged("tessera.sweep.stopped"));
  }

  @Test
  void ashaRefusesASpaceThatSetsTheEpochs() {
    RunResult result = run(base().space("train.epochs=choice(1,2)").random(2).asha(1, 2, 2));
    assertEquals(RunOutcome.FAILED, result.status());
    String error = result.run().stages.get("sweep").error;
    assertTrue(error.contains("sweep.space sets train.epochs, but sweep.halving.minEpochs=1"), error);
  }

  @Test
  void trialsRunInParallelSlotsAndARunWithMoreTrialsReusesTheEndedOnes() throws Exception {
    Sweep sweep = base().space("train.optimizer.learningRate=loguniform(1e-3,1e-1)").parallelism(2)
        .maximize("accuracy");
    RunResult first = run(sweep.random(3));
    assertEquals(RunOutcome.SUCCEEDED, first.status(), String.valueOf(first.run().stages));
    assertEquals(3, childRuns());
    List<String> firstRows = Files.readAllLines(first.artifacts().get("sweep").directory().resolve("trials.csv"));

    RunResult second = run(sweep.random(5));
    assertEquals(RunOutcome.SUCCEEDED, second.status(), String.valueOf(second.run().stages));
    assertEquals(5, childRuns(), "trials 0-2 come from the first run; only 3 and 4 ran");
    List<String> rows = Files.readAllLines(second.artifacts().get("sweep").directory().resolve("trials.csv"));
    assertEquals(6, rows.size(), String.join("\n", rows));
    assertEquals(firstRows.subList(1, 4), rows.subList(1, 4), "the reused trials, values and run ids unchanged");
    String log = Files.readString(second.runDirectory().resolve("logs").resolve("sweep.log"));
    assertTrue(log.contains("reusing 3 ended trial jobs"), log);
  }

  @Test
  void twoSlotsTrainTheSameTrialsToTheSameResultsAsOne() throws Exception {
    Sweep sweep = base().space("train.optimizer.learningRate=loguniform(1e-3,1e-1); train.batchSize=choice(10,20)")
        .random(4).maximize("accuracy");
    List<String> one = trialValues(run(sweep));
    Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    RunResult parallel = run(sweep.parallelism(2));
    List<String> two = trialValues(parallel);
    assertEquals(one, two, Files.readString(parallel.runDirectory().resolve("logs").resolve("sweep.log")));
  }

  @Test
  void aFinishedSweepKeepsOnlyWhatARunWithMoreTrialsReuses() throws Exception {
    Sweep sweep = base().space("train.optimizer.learningRate=loguniform(1e-3,3e-1)").asha(1, 4, 2)
        .maximize("accuracy");
    RunResult first = run(sweep.random(4));
    assertEquals(RunOutcome.SUCCEEDED, first.status(), String.valueOf(first.run().stages));
    Path root;
    try (Stream<Path> shared = Files.list(dir.resolve("home").resolve("shared"))) {
      root = shared.findFirst().orElseThrow();
    }
    assertTrue(Files.isRegularFile(root.resolve("trials.jsonl")));
    List<String> rows = Files.readAllLines(first.artifacts().get("sweep").directory().resolve("trials.csv"));
    for (String row : rows.subList(1, rows.size())) {
      String[] cells = row.split(",");
      Path trial = root.resolve("trial-" + cells[0]);
      List<String> kept;
      try (Stream<Path> files = Files.list(trial)) {
        kept = files.map(p -> p.getFileName().toString()).sorted().toList();
      }
      // A stopped trial keeps the checkpoints a promotion continues from; a trial at the top rung its model.
      assertEquals(cells[2].equals("STOPPED") ? List.of("train-work") : List.of("train"), kept, row);
    }
    String log = Files.readString(first.runDirectory().resolve("logs").resolve("sweep.log"));
    assertTrue(log.contains("trial folders: removed "), log);

    RunResult second = run(sweep.random(6));
    assertEquals(RunOutcome.SUCCEEDED, second.status(), String.valueOf(second.run().stages));
    String again = Files.readString(second.runDirectory().resolve("logs").resolve("sweep.log"));
    assertTrue(again.contains("reusing ") && again.contains("ended trial jobs"), again);
    assertTrue(Files.isDirectory(second.artifacts().get("sweep").directory().resolve("model")));
  }

  /** Each trial's settings and objective, without its run id. */
  private static List<String> trialValues(RunResult result) throws Exception {
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    return Files.readAllLines(result.artifacts().get("sweep").directory().resolve("trials.csv")).stream()
        .map(l -> l.replaceFirst(",[^,]*,", ",")).toList();
  }

  private long tagged(String tag) throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("mlruns"))) {
      return files.filter(p -> p.endsWith(Path.of("tags", tag))).count();
    }
  }

  private long childRuns() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("mlruns"))) {
      return files.filter(p -> p.endsWith(Path.of("tags", "mlflow.parentRunId"))).count();
    }
  }
}
