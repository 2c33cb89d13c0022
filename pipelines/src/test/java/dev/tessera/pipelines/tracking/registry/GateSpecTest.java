package dev.tessera.pipelines.tracking.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GateSpecTest {

  @Test
  void parsesMetricModeAndMargin() {
    assertEquals(new GateSpec("evaluate/accuracy", GateSpec.Mode.MAX, 0.001),
        GateSpec.parse("evaluate/accuracy:max:0.001"));
    assertEquals(new GateSpec("evaluate/log_loss", GateSpec.Mode.MIN, 0), GateSpec.parse("evaluate/log_loss:min"));
    assertEquals(new GateSpec("evaluate/accuracy", GateSpec.Mode.MAX, 0), GateSpec.parse("evaluate/accuracy"));
  }

  @Test
  void tiesAndSmallGainsKeepTheChampion() {
    GateSpec max = GateSpec.parse("evaluate/accuracy:max:0.01");
    assertFalse(max.beats(0.95, 0.95));
    assertFalse(max.beats(0.955, 0.95));
    assertTrue(max.beats(0.97, 0.95));
    assertFalse(max.beats(Double.NaN, 0.95));
    GateSpec min = GateSpec.parse("evaluate/log_loss:min");
    assertTrue(min.beats(0.2, 0.3));
    assertFalse(min.beats(0.3, 0.3));
    assertFalse(min.beats(0.4, 0.3));
  }

  @Test
  void rejectsABadModeOrMarginNamingTheValue() {
    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> GateSpec.parse("evaluate/accuracy:up"));
    assertEquals("promotion gate mode must be max or min, but was 'up' in 'evaluate/accuracy:up'.",
        mode.getMessage());
    IllegalArgumentException margin = assertThrows(IllegalArgumentException.class,
        () -> GateSpec.parse("evaluate/accuracy:max:-1"));
    assertEquals("gate.minImprovement must be a finite number >= 0, but was -1.0 (0 promotes any strict "
        + "improvement).", margin.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GateSpec.parse("accuracy"));
  }
}
