package dev.tessera.stages.sweep;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.Executor;
import dev.tessera.pipelines.exec.RunListener;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep with successive halving cancelled inside a job (as Ctrl-C does) and continued with the executor's
 * resume ({@code tessera resume}): no ended job trains again, and the parent keeps one child run per trial.
 */
class SweepResumeTest {
  @TempDir Path dir;

  private static Experiment experiment() {
    Sweep sweep = Sweep.of(Train.classifier(Models.mlp(16).withInput(1, 20, 20)).epochs(1).batchSize(20),
            Evaluate.classification())
        .space("train.optimizer.learningRate=loguniform(1e-3,3e-1)").random(4).asha(1, 4, 2).maximize("accuracy");
    return Experiment.named("sweep-resume").seed(5)
        .stage("source", SyntheticDigits.of(2, 40))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("source"))
        .stage("sweep", sweep, after("preprocess"))
        .build();
  }

  /** Cancels the run as soon as the job after the first {@code jobs} ended jobs starts training. */
  private static final class CancelInJob implements RunListener {
    private final int jobs;
    private final AtomicInteger ended = new AtomicInteger();
    private volatile Executor executor;
    private volatile boolean done;

    CancelInJob(int jobs) {
      this.jobs = jobs;
    }

    @Override
    public void progress(String stage, long done, long total, String message) {
      if (stage.equals("sweep") && message.startsWith("trial ")) {
        ended.incrementAndGet();
      }
    }

    @Override
    public void log(String stage, String message) {
      if (stage.equals("sweep") && message.startsWith("train: ") && ended.get() >= jobs && !done) {
        done = true;
        executor.cancel();
      }
    }
  }

  @Test
  void aResumedSweepRerunsNoEndedJobAndKeepsOneChildRunPerTrial() throws Exception {
    Engine engine = new Engine(dir.resolve("home"));
    engine.tracker = FileStoreTracker.at(dir.resolve("mlruns"));
    CancelInJob cancel = new CancelInJob(3);
    Executor executor = new Executor(engine.store, engine.runs, engine.tracker, engine.options, cancel);
    cancel.executor = executor;
    RunResult cancelled = executor.run(experiment(), List.of());
    assertEquals(RunOutcome.CANCELLED, cancelled.status(), String.valueOf(cancelled.run().stages));
    Path log = trialsLog();
    List<SweepRecord> before = SweepRecord.read(log);
    assertEquals(3, before.size(), "three jobs ended before the cancel");

    RunResult resumed = engine.executor().resume(engine.runs.load(cancelled.run().runId).orElseThrow(),
        experiment());
    assertEquals(RunOutcome.SUCCEEDED, resumed.status(), String.valueOf(resumed.run().stages));
    List<SweepRecord> after = SweepRecord.read(log);
    assertEquals(before, after.subList(0, before.size()));
    Set<String> jobs = new HashSet<>();
    after.forEach(r -> assertTrue(jobs.add(r.index() + "@" + r.rung()), "trial " + r.index() + " trained rung "
        + r.rung() + " twice: " + after));

    List<StoredRun> children = children();
    String runs = describe(children);
    assertTrue(children.stream().noneMatch(r -> r.status() == RunStatus.RUNNING), runs);
    // The trial cut off in its first rung: its run ended as interrupted, and it trained again in a new one.
    List<StoredRun> rerun = children.stream().filter(r -> r.tags().containsKey("tessera.sweep.reruns")).toList();
    assertEquals(1, rerun.size(), runs);
    StoredRun cutOff = children.stream().filter(r -> r.runId().equals(rerun.get(0).tags().get(
        "tessera.sweep.reruns"))).findFirst().orElseThrow();
    assertEquals(RunStatus.KILLED, cutOff.status(), runs);
    assertTrue(cutOff.tags().get(TrialRuns.INTERRUPTED).contains("trained it again from the start"), runs);

    // Apart from that one, one child run per trial: the one trials.csv names, across the kill and every rung.
    List<String> csv = Files.readAllLines(resumed.artifacts().get("sweep").directory().resolve("trials.csv"));
    List<String> expected = new ArrayList<>();
    csv.stream().skip(1).forEach(line -> expected.add(line.split(",")[0] + " " + line.split(",")[1]));
    List<String> actual = children.stream().filter(r -> r != cutOff)
        .map(r -> r.tags().get("tessera.trial").replace("sweep-", "") + " " + r.runId()).sorted().toList();
    assertEquals(expected, actual, runs);

    // A trial promoted after the resume went on in the run it had before: each epoch logged once, in order.
    SweepRecord promoted = after.get(after.size() - 1);
    assertTrue(promoted.rung() > 0 && before.stream().anyMatch(r -> r.index() == promoted.index()), runs);
    StoredRun continued = children.stream().filter(r -> r.runId().equals(promoted.runId())).findFirst()
        .orElseThrow();
    List<Long> epochs = continued.metrics().get("train/epoch/loss").stream().map(StoredRun.MetricPoint::step)
        .toList();
    assertEquals(LongStream.rangeClosed(1, promoted.epochs()).boxed().toList(), epochs,
        "train/epoch/loss of trial " + promoted.index() + ": every epoch once, in one run");
  }

  private static String describe(List<StoredRun> runs) {
    return runs.stream().map(r -> r.tags().get("tessera.trial") + " " + r.runId() + " " + r.status() + " "
        + r.tags().keySet().stream().filter(k -> k.startsWith("tessera.sweep")).map(k -> k + "=" + r.tags().get(k))
        .toList()).collect(Collectors.joining("\n"));
  }

  private Path trialsLog() throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("home"))) {
      return files.filter(p -> p.getFileName().toString().equals("trials.jsonl")).findFirst().orElseThrow();
    }
  }

  private List<StoredRun> children() {
    return FileStoreReader.at(dir.resolve("mlruns")).runs().stream()
        .filter(r -> r.tags().containsKey("mlflow.parentRunId")).toList();
  }
}
