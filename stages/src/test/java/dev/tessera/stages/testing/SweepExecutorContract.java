package dev.tessera.stages.testing;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.mlflow.FileStoreReader;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.StoredRun;
import dev.tessera.stages.evaluate.Evaluate;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.sweep.Sweep;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Beam runner must do with a sweep: train its trials as Beam elements inside the runner's workers
 * ({@code sweep.executor=auto} picks that on any runner but the DirectRunner) and give every trial the objective
 * the local executor gives it for the same seed. The reference trains the same 4 random trials in 2 threads of the
 * test's JVM on the DirectRunner; each run has its own Tessera home, so nothing is served from a cache.
 *
 * <p>One subclass per runner, in the runner's module, beside {@link BeamStagesContract}'s:
 *
 * <pre>{@code
 * class FlinkSweepExecutorIT extends SweepExecutorContract {
 *   protected List<String> pipelineArgs() { return List.of("--runner=FlinkRunner", "--flinkMaster=[local]"); }
 * }
 * }</pre>
 */
public abstract class SweepExecutorContract {
  @TempDir protected Path dir;

  /** Pipeline arguments selecting the runner under test, such as {@code --runner=SparkRunner}. */
  protected abstract List<String> pipelineArgs();

  @Test
  void trialsTrainedOnTheRunnersWorkersGetTheLocalExecutorsObjectives() throws Exception {
    Sweep sweep = Sweep.of(Train.classifier(Models.mlp(16).withInput(1, 20, 20)).epochs(1).batchSize(20),
            Evaluate.classification())
        .space("train.optimizer.learningRate=loguniform(1e-3,1e-1); train.batchSize=choice(10,20)")
        .random(4).parallelism(2).maximize("accuracy");

    long start = System.nanoTime();
    RunResult local = run("local", sweep, List.of("--runner=DirectRunner"));
    long localNanos = System.nanoTime() - start;
    start = System.nanoTime();
    RunResult remote = run("runner", sweep, pipelineArgs());
    long remoteNanos = System.nanoTime() - start;

    String log = Files.readString(remote.runDirectory().resolve("logs").resolve("sweep.log"));
    String runner = pipelineArgs().stream().filter(a -> a.startsWith("--runner=")).findFirst().orElseThrow()
        .substring("--runner=".length());
    assertTrue(log.contains("trials train as elements of Beam jobs on the " + runner + ", 2 per job"), log);
    assertEquals(trials(local), trials(remote), "each trial's settings, status and objective, as in local slots");
    List<StoredRun> children = FileStoreReader.at(dir.resolve("runner").resolve("mlruns")).runs().stream()
        .filter(r -> r.tags().containsKey("mlflow.parentRunId")).toList();
    assertEquals(4, children.size(), "one child run per trial");
    for (StoredRun child : children) {
      assertEquals(RunStatus.FINISHED, child.status(), child.runName());
      assertEquals(1, child.metrics().get("train/epoch/loss").size(), child.runName() + ": " + child.metrics());
      assertTrue(child.tags().containsKey("tessera.sweep.worker"), child.runName() + " names its worker: "
          + child.tags());
      System.out.println("[sweep-executor] " + child.runName() + " trained on " + child.tags().get(
          "tessera.sweep.worker"));
    }
    System.out.printf(Locale.ROOT, "[sweep-executor] 4 trials, 2 at a time: local threads on the DirectRunner "
        + "%.1f s, Beam elements on %s %.1f s (whole runs, with the data stages)%n", localNanos / 1e9,
        pipelineArgs(), remoteNanos / 1e9);
  }

  private RunResult run(String name, Sweep sweep, List<String> args) {
    Experiment experiment = Experiment.named("sweep-executor-contract").seed(11)
        .stage("source", SyntheticDigits.of(2, 40))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("source"))
        .stage("sweep", sweep, after("preprocess"))
        .build();
    Engine engine = new Engine(dir.resolve(name).resolve("home"));
    engine.options = engine.options.withPipelineArgs(args);
    engine.tracker = FileStoreTracker.at(dir.resolve(name).resolve("mlruns"));
    RunResult result = engine.run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), args + ": " + result.run().stages);
    return result;
  }

  /** Each trial's row of trials.csv without its run id: index, status, objective, rung, epochs, settings. */
  private static List<String> trials(RunResult result) throws Exception {
    return Files.readAllLines(result.artifacts().get("sweep").directory().resolve("trials.csv")).stream()
        .map(l -> l.replaceFirst(",[^,]*,", ",")).toList();
  }
}
