package dev.tessera.pipelines.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InaccessibleObjectException;
import org.junit.jupiter.api.Test;

class BeamPipelinesTest {
  @Test
  void aWorkerFailureInArrowsMemoryUtilNamesTheFlagsAndWhereClustersSetThem() {
    RuntimeException fromWorker = new RuntimeException("Failed to initialize MemoryUtil.");
    fromWorker.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("org.apache.arrow.memory.util.MemoryUtil", "<clinit>", "MemoryUtil.java", 136)});
    String hint = BeamPipelines.workerFlagsHint(new RuntimeException("Pipeline execution failed", fromWorker));

    assertTrue(hint.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), hint);
    assertTrue(hint.contains("env.java.opts.all"), hint);
    assertTrue(hint.contains("spark.executor.extraJavaOptions"), hint);
  }

  @Test
  void aRefusedReflectiveAccessOnAWorkerNamesTheFlags() {
    String hint = BeamPipelines.workerFlagsHint(new IllegalStateException("job failed",
        new InaccessibleObjectException("module java.base does not \"opens java.util\" to unnamed module")));

    assertTrue(hint.contains("env.java.opts.all"), hint);
  }

  @Test
  void aWorkerWhoseArrowAllocatorFailedBeforeNamesTheFlags() {
    // What Flink reported from a TaskManager without the flags: a later task's view of the first failure.
    String hint = BeamPipelines.workerFlagsHint(new RuntimeException("Pipeline execution failed",
        new NoClassDefFoundError("Could not initialize class org.apache.arrow.memory.RootAllocator")));

    assertTrue(hint.contains("env.java.opts.all"), hint);
  }

  @Test
  void aLostTaskManagerSaysSoAndThatResumeGoesOn() {
    String hint = BeamPipelines.lostWorkerHint(new RuntimeException("Pipeline execution failed",
        new IllegalStateException("Recovery is suppressed by NoRestartBackoffTimeStrategy",
            new IllegalStateException("TaskManager with id 127.0.0.1:37735-5d84de is no longer reachable."))));
    assertEquals("a worker of the cluster was lost while the job ran (TaskManager with id 127.0.0.1:37735-5d84de "
        + "is no longer reachable.). Flink restarts a Beam batch job only with a restart strategy "
        + "(restart-strategy.type in the cluster's config.yaml, or --numberOfExecutionRetries); the stages that "
        + "finished are kept: run tessera resume <run-id> once the cluster has its task slots again", hint);
    assertNull(BeamPipelines.lostWorkerHint(new IllegalStateException("shard 3 is corrupt")));
  }

  @Test
  void otherFailuresGetNoHint() {
    assertNull(BeamPipelines.workerFlagsHint(new IllegalStateException("shard 3 is corrupt",
        new java.io.IOException("unexpected end of stream"))));
  }
}
