package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.tracking.registry.GateDecision;
import dev.tessera.pipelines.tracking.registry.GateSpec;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate decision a run leaves beside its run.json, as the scheduler reads it back. */
class GateOutcomeTest {
  @TempDir Path run;

  @Test
  void decisionWrittenByARunIsReadBackWithItsTags() {
    GateDecision decision = new GateDecision(GateSpec.parse("evaluate/accuracy:max:0.001"), 4, 0.97,
        OptionalLong.of(3), OptionalDouble.of(0.95), true, "0.97 beats 0.95 by more than 0.001");
    GateOutcome.write(run, "mnist-lenet", decision);
    GateOutcome read = GateOutcome.read(run).orElseThrow();
    assertTrue(read.promoted());
    assertEquals("mnist-lenet", read.model());
    assertEquals("4", read.tag("challenger_version"));
    assertEquals("0.95", read.tag("champion_value"));
    assertEquals(decision.tags(), read.tags());
  }

  @Test
  void runWithoutAGateHasNoOutcome() {
    assertFalse(GateOutcome.read(run).isPresent());
  }
}
