package dev.tessera.stages.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.artifact.Digests;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A training JVM killed with SIGKILL mid-epoch is resumed by another JVM and ends bit-identical. */
class SigkillResumeTest {
  private static final SyntheticImages TRAIN = SyntheticImages.quadrants(24, 28, 1); // 6 batches of 16

  @TempDir Path dir;

  static TrainingResult train(TrainingCallbacks callbacks, Path modelDir, Checkpoints checkpoints) throws Exception {
    TrainSpec spec = TrainSpec.defaults(Models.lenet().withClasses(4)).withEpochs(2).withBatchSize(16)
        .withDevice("cpu").withLogEverySteps(1).withSchedule(ScheduleSpec.cosine())
        .withOptimizer(OptimizerSpec.sgd(0.05, 0.9).withNesterov(true)).withCheckpoint(new CheckpointSpec(1, 3, 2));
    try (BatchSource source = new ArrayBatchSource(TRAIN.images, TRAIN.labels, 16, 7, true)) {
      return ClassifierTrainer.train(spec, 42, source, null, callbacks, modelDir, checkpoints);
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void resumesInANewJvmAfterSigkill() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path marker = dir.resolve("marker");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The flags this JVM runs with (add-opens, offline DJL, the vector module), minus any debugger agent.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")).forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainerCrashMain.class.getName(),
        checkpoints.toString(), marker.toString(), "10"));
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile()).start();
    while (!Files.exists(marker)) {
      assertTrue(child.isAlive(), "the child JVM died early: " + Files.readString(dir.resolve("child.log")));
      Thread.sleep(50); // polling another process's progress
    }
    child.destroyForcibly(); // SIGKILL at step 10: the newest checkpoint is step 9, three batches into epoch 2
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));

    CheckpointResumeTest.Recorder resumed = new CheckpointResumeTest.Recorder();
    TrainingResult continued = train(resumed, dir.resolve("resumed"), Checkpoints.in(checkpoints, "sigkill"));
    CheckpointResumeTest.Recorder straight = new CheckpointResumeTest.Recorder();
    TrainingResult uninterrupted = train(straight, dir.resolve("straight"), null);

    assertTrue(resumed.logs.stream().anyMatch(l -> l.startsWith("resuming from checkpoint ckpt-000000000009")),
        resumed.logs.toString());
    assertEquals(Digests.sha256Hex(uninterrupted.modelDir().resolve(uninterrupted.metadata().paramsFile())),
        Digests.sha256Hex(continued.modelDir().resolve(continued.metadata().paramsFile())));
    // The child logged steps 1-9 and died inside step 10's report: the resumed JVM logs 10-12 only.
    assertEquals(List.of(10L, 11L, 12L), List.copyOf(resumed.points.get("train/loss").keySet()));
    assertEquals(new TreeMap<>(straight.points.get("train/loss")).tailMap(10L), resumed.points.get("train/loss"));
    assertEquals(new TreeMap<>(straight.points.get("train/lr")).tailMap(10L), resumed.points.get("train/lr"));
  }
}
