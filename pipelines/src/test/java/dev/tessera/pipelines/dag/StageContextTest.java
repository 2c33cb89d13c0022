package dev.tessera.pipelines.dag;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.dag.StageContext.Progress;
import dev.tessera.pipelines.dag.StageContext.StageTracker;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageContextTest {

  @Test
  void noTrackerAcceptsEverythingButATrial() {
    StageTracker none = StageTracker.none();
    none.logMetric("loss", 0.5, 1);
    none.logArtifact(Path.of("missing"), "plots/a.png");
    none.logParams(Map.of("lr", "0.1"));
    none.setTags(Map.of("tessera.kind", "x"));

    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, () -> none.startTrial("lr=0.1", Map.of()));
    assertTrue(e.getMessage().contains("'lr=0.1'") && e.getMessage().contains("records nothing"), e.getMessage());
  }

  @Test
  void noProgressIsOneSharedInstance() {
    Progress none = Progress.none();
    none.update(1, 2, "half");
    none.log("a line");

    assertSame(none, Progress.none());
    assertSame(StageTracker.none(), StageTracker.none());
  }
}
