package dev.tessera.runners.flink;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.data.DatasetManifest;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageRecord;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.stages.testing.SyntheticDigits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager killed ({@code SIGKILL}) while a stage's job runs on it: the run fails that stage with an error
 * that says a worker was lost and how to go on, or the job recovers on its own; either way {@code resume} finishes
 * the run on the TaskManager that is left, and the shards equal the DirectRunner's.
 */
class FlinkTaskManagerLossIT {
  @TempDir Path dir;

  @Test
  void aRunWhoseTaskManagerIsKilledMidJobFinishesOnResumeWithTheDirectRunnersBytes() throws Exception {
    Path gate = dir.resolve("gate");
    Experiment experiment = Experiment.named("taskmanager-loss")
        .stage("source", SyntheticDigits.of(4, 10))
        .stage("copy", new GatedCopy(new GatedCopy.Spec(gate.toString())), after("source"))
        .build();
    try (FlinkCluster cluster = FlinkCluster.start(dir.resolve("cluster"), 2, FlinkClusterIT.workerFlags(),
        FlinkClusterIT.jobClassPath())) {
      Path emptyJar = dir.resolve("no-classes.jar");
      new java.util.jar.JarOutputStream(Files.newOutputStream(emptyJar), new java.util.jar.Manifest()).close();
      Engine engine = new Engine(dir.resolve("home"));
      // Parallelism 2: the TaskManager that is left has two slots, so the resumed job fits on it.
      engine.options = engine.options.withPipelineArgs(List.of("--runner=FlinkRunner",
          "--flinkMaster=" + cluster.master(), "--parallelism=2", "--filesToStage=" + emptyJar));

      CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> engine.run(experiment));
      long victim = awaitWorkerAtGate(gate, running);
      ProcessHandle taskManager = ProcessHandle.of(victim).orElseThrow();
      taskManager.destroyForcibly();
      taskManager.onExit().get(30, TimeUnit.SECONDS);
      Files.writeString(gate.resolve("open"), "");
      RunResult first = running.get(10, TimeUnit.MINUTES);

      RunResult finished = first;
      if (first.status() != RunOutcome.SUCCEEDED) {
        StageRecord copy = first.run().stages.get("copy");
        assertEquals(StageStatus.FAILED, copy.status, copy.error);
        System.out.println("[taskmanager-loss] the stage failed with: " + copy.error);
        assertTrue(copy.error.startsWith("gated-copy: a worker of the cluster was lost while the job ran (TaskManager "
            + "with id "), copy.error);
        assertTrue(copy.error.contains("run tessera resume <run-id>"), copy.error);
        finished = engine.executor().resume(first.run(), experiment);
      }
      assertEquals(RunOutcome.SUCCEEDED, finished.status(), finished.run().stages.toString());
      assertEquals(StageStatus.SUCCEEDED, finished.run().stages.get("source").status, "kept from the first attempt");

      Engine direct = new Engine(dir.resolve("direct"));
      RunResult reference = direct.run(experiment);
      assertEquals(RunOutcome.SUCCEEDED, reference.status(), reference.run().stages.toString());
      DatasetManifest expected = DatasetManifest.read(reference.artifacts().get("copy").directory());
      DatasetManifest actual = DatasetManifest.read(finished.artifacts().get("copy").directory());
      assertEquals(80, actual.totalRows());
      assertEquals(expected.digest(), actual.digest(), "dataset digest as on the DirectRunner");
    }
  }

  /** The pid of a worker that reached the gate; fails if the run ends first or none arrives within 5 minutes. */
  private static long awaitWorkerAtGate(Path gate, CompletableFuture<RunResult> running) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (running.isDone()) {
        throw new AssertionError("the run ended before any worker reached the gate: "
            + running.get().run().stages);
      }
      Optional<Long> pid = entered(gate);
      if (pid.isPresent()) {
        return pid.get();
      }
      try {
        running.get(100, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        // still running: look again
      }
    }
    throw new AssertionError("no worker reached the gate " + gate + " within 5 minutes");
  }

  private static Optional<Long> entered(Path gate) throws IOException {
    if (!Files.isDirectory(gate)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(gate)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("entered-"))
          .map(n -> Long.parseLong(n.substring("entered-".length()))).findFirst();
    }
  }
}
