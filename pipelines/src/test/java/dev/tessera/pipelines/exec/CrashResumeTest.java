package dev.tessera.pipelines.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.testing.TextStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run whose JVM is killed with SIGKILL in the middle of a stage resumes, reusing what succeeded. */
class CrashResumeTest {
  @TempDir Path dir;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void resumeAfterSigkillReusesSucceededStagesAndFinishes() throws Exception {
    Path home = dir.resolve("home");
    Path markers = dir.resolve("markers");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashRunMain.class.getName(), home.toString(), markers.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile())
        .start();
    Engine engine = new Engine(home);
    RunRecord before = waitFor(engine, child);
    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no chance to tidy up
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));

    RunRecord crashed = engine.runs.load(before.runId).orElseThrow();
    assertEquals(RunOutcome.RUNNING, crashed.status, "the dead process never wrote an end state");
    assertEquals(StageStatus.RUNNING, crashed.stages.get("b").status);
    assertFalse(engine.store.verify(crashed.stages.get("b").cacheKey).usable(),
        "b's half-written output is not visible as an artifact");
    assertEquals(1, stagingDirectories(home).size(), "b's staging directory is left behind");

    Files.writeString(markers.resolve("release"), "go");
    RunResult resumed = engine.executor().resume(crashed, CrashRunMain.experiment(markers));

    assertEquals(RunOutcome.SUCCEEDED, resumed.status());
    assertEquals(before.runId, resumed.runId());
    assertEquals(1, TextStage.executions(markers, "a"), "a is reused");
    assertEquals(1, TextStage.executions(markers, "c"), "c is reused");
    assertEquals(2, TextStage.executions(markers, "b"), "b runs again");
    assertEquals(1, TextStage.executions(markers, "d"));
    assertEquals("d+b+a+c+a", Files.readString(resumed.artifacts().get("d").resolve("out.txt")));
    assertEquals(List.of(), stagingDirectories(home), "the dead process's staging directory was cleaned");
  }

  /** Waits until the child's persisted state shows a and c done and b running. */
  private static RunRecord waitFor(Engine engine, Process child) throws Exception {
    while (true) {
      assertTrue(child.isAlive(), "the child JVM died early; see child.log");
      List<RunRecord> runs = engine.runs.list(null);
      if (!runs.isEmpty()) {
        RunRecord run = runs.get(0);
        if (run.stages.get("a").status == StageStatus.SUCCEEDED && run.stages.get("c").status == StageStatus.SUCCEEDED
            && run.stages.get("b").status == StageStatus.RUNNING) {
          return run;
        }
      }
      Thread.sleep(50); // polling another process's state file
    }
  }

  private static List<String> stagingDirectories(Path home) throws Exception {
    try (Stream<Path> entries = Files.list(home.resolve("tmp"))) {
      return entries.map(p -> p.getFileName().toString()).toList();
    }
  }
}
