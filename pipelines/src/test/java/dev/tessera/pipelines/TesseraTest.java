package dev.tessera.pipelines;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.spec.SpecException;
import dev.tessera.pipelines.testing.TextSpec;
import dev.tessera.pipelines.testing.TextStage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The programmatic entry point runs like the CLI: cache, overrides, MLflow file store. */
class TesseraTest {
  @TempDir Path dir;

  private Experiment experiment() {
    String markers = dir.resolve("markers").toString();
    return Experiment.named("two")
        .stage("a", TextStage.source(TextSpec.of("a", markers)))
        .stage("b", TextStage.reading(1, TextSpec.of("b", markers)), after("a"))
        .build();
  }

  @Test
  void runsReturnsOutcomesAndIsServedFromTheCacheTheSecondTime() throws Exception {
    RunResult first = Tessera.run(experiment(), TesseraOptions.in(dir));
    assertEquals(RunOutcome.SUCCEEDED, first.status());
    assertEquals("b+a", Files.readString(first.artifacts().get("b").resolve("out.txt")));
    assertTrue(Files.isDirectory(dir.resolve("mlruns")), "logged to the MLflow file store");

    RunResult second = Tessera.run(experiment(), TesseraOptions.in(dir));
    assertEquals(StageStatus.CACHED, second.run().stages.get("b").status);

    RunResult changed = Tessera.run(experiment(), TesseraOptions.in(dir).withOverrides("b.text=c"));
    assertEquals(StageStatus.SUCCEEDED, changed.run().stages.get("b").status);
    assertEquals("c+a", Files.readString(changed.artifacts().get("b").resolve("out.txt")));
  }

  @Test
  void aBadOverrideFailsBeforeAnythingRuns() {
    assertThrows(SpecException.class,
        () -> Tessera.run(experiment(), TesseraOptions.in(dir).withOverrides("b.nope=1")));
    assertTrue(!Files.exists(dir.resolve("home").resolve("runs")), "no run was started");
  }
}
