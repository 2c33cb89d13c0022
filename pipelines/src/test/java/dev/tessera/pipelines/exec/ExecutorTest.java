package dev.tessera.pipelines.exec;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.testing.TextSpec;
import dev.tessera.pipelines.testing.TextStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorTest {
  @TempDir Path dir;
  Path markers;
  Engine engine;

  @BeforeEach
  void setUp() {
    markers = dir.resolve("markers");
    engine = new Engine(dir.resolve("home"));
  }

  private TextSpec spec(String text) {
    return TextSpec.of(text, markers.toString());
  }

  /** a -> (b, c) -> d. */
  private Experiment diamond(TextSpec a, TextSpec b, TextSpec c, TextSpec d) {
    return Experiment.named("diamond")
        .stage("a", TextStage.source(a))
        .stage("b", TextStage.reading(1, b), after("a"))
        .stage("c", TextStage.reading(1, c), after("a"))
        .stage("d", TextStage.reading(2, d), after("b", "c"))
        .build();
  }

  private static String output(RunResult result, String stage) throws Exception {
    return Files.readString(result.artifacts().get(stage).resolve("out.txt"));
  }

  @Test
  void runsStagesInOrderAndPassesArtifacts() throws Exception {
    RunResult result = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    assertEquals(RunOutcome.SUCCEEDED, result.status());
    assertEquals("d+b+a+c+a", output(result, "d"));
    RunRecord run = result.run();
    long dStart = run.stages.get("d").startedAtMillis;
    assertTrue(dStart >= run.stages.get("b").endedAtMillis && dStart >= run.stages.get("c").endedAtMillis,
        "d starts only after both of its inputs ended");
  }

  @Test
  void independentStagesOverlap() {
    // b waits until c has started and c until b has started: this finishes only if they run at the same time.
    TextSpec b = spec("b").waitingFor(markers.resolve("c.started").toString());
    TextSpec c = spec("c").waitingFor(markers.resolve("b.started").toString());
    RunResult result = assertTimeoutPreemptively(Duration.ofMinutes(2),
        () -> engine.run(diamond(spec("a"), b, c, spec("d"))));
    assertEquals(RunOutcome.SUCCEEDED, result.status());
  }

  @Test
  void retriesRetryableFailureWithBackoffUntilItPasses() throws Exception {
    RunResult result = engine.run(diamond(spec("a"), spec("b").failing(2, true), spec("c"), spec("d")));
    assertEquals(RunOutcome.SUCCEEDED, result.status());
    assertEquals(3, result.run().stages.get("b").attempts);
    assertEquals(3, TextStage.executions(markers, "b"));
  }

  @Test
  void doesNotRetryPermanentFailureAndSkipsDependents() throws Exception {
    RunResult result = engine.run(diamond(spec("a"), spec("b").failing(1, false), spec("c"), spec("d")));
    assertEquals(RunOutcome.FAILED, result.status());
    StageRecord b = result.run().stages.get("b");
    assertEquals(StageStatus.FAILED, b.status);
    assertEquals(1, b.attempts);
    assertEquals(1, TextStage.executions(markers, "b"));
    assertTrue(b.error.contains("simulated permanent failure #1"), b.error);
    assertEquals(StageStatus.SUCCEEDED, result.run().stages.get("c").status, "independent stage still runs");
    assertEquals(StageStatus.SKIPPED, result.run().stages.get("d").status);
  }

  @Test
  void givesUpAfterMaxAttempts() throws Exception {
    RunResult result = engine.run(diamond(spec("a"), spec("b").failing(5, true), spec("c"), spec("d")));
    assertEquals(StageStatus.FAILED, result.run().stages.get("b").status);
    assertEquals(3, TextStage.executions(markers, "b"));
  }

  @Test
  void secondRunIsServedFromCache() throws Exception {
    RunResult first = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    RunResult second = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    for (String stage : List.of("a", "b", "c", "d")) {
      StageRecord record = second.run().stages.get(stage);
      assertEquals(StageStatus.CACHED, record.status, stage);
      assertEquals(first.runId(), record.reusedFromRun);
      assertEquals(1, TextStage.executions(markers, stage));
    }
    assertEquals(output(first, "d"), output(second, "d"));
  }

  @Test
  void noCacheRunsEverythingAgain() throws Exception {
    engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    engine.options = engine.options.withNoCache(true);
    RunResult second = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    assertEquals(StageStatus.SUCCEEDED, second.run().stages.get("a").status);
    assertEquals(2, TextStage.executions(markers, "a"));
  }

  @Test
  void changedSpecMissesAndChangedUpstreamMissesDownstream() throws Exception {
    engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    RunResult second = engine.run(diamond(spec("a"), spec("B"), spec("c"), spec("d")));
    RunRecord run = second.run();
    assertEquals(StageStatus.CACHED, run.stages.get("a").status);
    assertEquals(StageStatus.SUCCEEDED, run.stages.get("b").status, "its spec changed");
    assertEquals(StageStatus.CACHED, run.stages.get("c").status);
    assertEquals(StageStatus.SUCCEEDED, run.stages.get("d").status, "its input b changed");
    assertEquals("no artifact in the store", run.stages.get("d").cacheMiss);
    assertEquals("d+B+a+c+a", output(second, "d"));
  }

  /** A text source whose output depends on the experiment seed (as a seeded augmentation's does). */
  private record SeededText(TextSpec spec) implements dev.tessera.pipelines.dag.Stage<TextSpec> {
    @Override
    public dev.tessera.pipelines.dag.Stage<TextSpec> withSpec(TextSpec newSpec) {
      return new SeededText(newSpec);
    }

    @Override
    public List<dev.tessera.pipelines.dag.ArtifactKind> inputs() {
      return List.of();
    }

    @Override
    public dev.tessera.pipelines.dag.ArtifactKind output() {
      return TextStage.TEXT;
    }

    @Override
    public boolean usesExperimentSeed() {
      return true;
    }

    @Override
    public dev.tessera.pipelines.dag.StageResult run(dev.tessera.pipelines.dag.StageContext context)
        throws Exception {
      return TextStage.source(spec).run(context);
    }
  }

  @Test
  void anotherExperimentSeedMissesOnlyTheStagesThatUseIt() throws Exception {
    java.util.function.LongFunction<Experiment> experiment = seed -> Experiment.named("seeded").seed(seed)
        .stage("plain", TextStage.source(spec("p")))
        .stage("seeded", new SeededText(spec("s")))
        .build();
    engine.run(experiment.apply(42));
    RunRecord same = engine.run(experiment.apply(42)).run();
    assertEquals(StageStatus.CACHED, same.stages.get("seeded").status);
    RunRecord other = engine.run(experiment.apply(7)).run();
    assertEquals(StageStatus.CACHED, other.stages.get("plain").status, "its output does not depend on the seed");
    assertEquals(StageStatus.SUCCEEDED, other.stages.get("seeded").status, "seed 7 must not reuse seed 42's output");
    assertEquals("7", other.stages.get("seeded").keyParts.environment().get("seed"));
    List<CacheExplanation> explained = new CacheExplainer(engine.store).explain(experiment.apply(3), other);
    assertTrue(explained.stream().anyMatch(e -> e.stage().equals("seeded") && !e.hit()), explained.toString());
  }

  @Test
  void deletedArtifactIsAMissWithAReason() throws Exception {
    RunResult first = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    Path c = first.artifacts().get("c").directory();
    dev.tessera.pipelines.artifact.ArtifactStore.deleteTree(c);
    RunResult second = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    StageRecord record = second.run().stages.get("c");
    assertEquals(StageStatus.SUCCEEDED, record.status);
    assertEquals("no artifact in the store", record.cacheMiss);
    assertEquals(StageStatus.CACHED, second.run().stages.get("d").status,
        "c rebuilt with the same content, so d's key is unchanged");
  }

  @Test
  void corruptedArtifactIsAMissWithAReason() throws Exception {
    RunResult first = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    Files.writeString(first.artifacts().get("b").resolve("out.txt"), "tampered");
    RunResult second = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    StageRecord record = second.run().stages.get("b");
    assertEquals(StageStatus.SUCCEEDED, record.status);
    assertTrue(record.cacheMiss.startsWith("its content changed: digest sha256:"), record.cacheMiss);
    assertEquals("d+b+a+c+a", output(second, "d"));
  }

  @Test
  void resumeRunsOnlyWhatDidNotSucceed() throws Exception {
    RunResult failed = engine.run(diamond(spec("a"), spec("b").failing(1, false), spec("c"), spec("d")));
    assertEquals(RunOutcome.FAILED, failed.status());
    RunRecord persisted = engine.runs.load(failed.runId()).orElseThrow();
    // Resume with the failure gone (attempt numbering restarts at 1, so use a spec without failures).
    engine.options = engine.options.withNoCache(true);
    RunResult resumed = engine.executor().resume(persisted,
        diamond(spec("a"), spec("b").failing(1, false), spec("c"), spec("d")));
    assertEquals(RunOutcome.FAILED, resumed.status(), "b still fails on its first attempt");
    assertEquals(1, TextStage.executions(markers, "a"), "a reused, not run again, even with --no-cache");
    assertEquals(1, TextStage.executions(markers, "c"));
    assertEquals(2, TextStage.executions(markers, "b"));
    assertEquals(failed.runId(), resumed.runId());
  }

  @Test
  void persistedStateMatchesResult() {
    RunResult result = engine.run(diamond(spec("a"), spec("b"), spec("c"), spec("d")));
    RunRecord persisted = engine.runs.load(result.runId()).orElseThrow();
    assertEquals(RunOutcome.SUCCEEDED, persisted.status);
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(persisted.stages.keySet()));
    assertNotEquals(null, persisted.stages.get("d").cacheKey);
    assertTrue(Files.exists(result.runDirectory().resolve("spec.json")));
  }

  @Test
  void cancelStopsRunningStagesAndLeavesAResumableRun() throws Exception {
    Path release = markers.resolve("release");
    Experiment experiment = diamond(spec("a"), spec("b").waitingFor(release.toString()), spec("c"), spec("d"));
    Executor executor = engine.executor();
    Thread canceller = new Thread(() -> {
      try {
        while (!Files.exists(markers.resolve("b.started"))) {
          Thread.sleep(10);
        }
        executor.cancel();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    canceller.start();
    RunResult result = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> executor.run(experiment, List.of()));
    canceller.join();
    assertEquals(RunOutcome.CANCELLED, result.status());
    assertEquals(StageStatus.CANCELLED, result.run().stages.get("b").status);
    assertEquals(StageStatus.SUCCEEDED, result.run().stages.get("a").status);

    Files.writeString(release, "go");
    RunResult resumed = engine.executor().resume(engine.runs.load(result.runId()).orElseThrow(), experiment);
    assertEquals(RunOutcome.SUCCEEDED, resumed.status());
    assertEquals(1, TextStage.executions(markers, "a"));
  }
}
