package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.tracking.server.TrackingServerException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pending-publication marker: which failures leave a publication pending, and its file round trip. */
class PendingPublicationTest {
  @TempDir Path dir;

  @Test
  void onlyAnUnreachableOrFailingServerIsAnOutage() {
    assertTrue(PendingPublication.serverAway(new TrackingServerException("refused", 0, null)));
    assertTrue(PendingPublication.serverAway(new TrackingServerException("bad gateway", 502, null)));
    assertTrue(PendingPublication.serverAway(new TrackingServerException("slow down", 429, null)));
    assertTrue(PendingPublication.serverAway(new IllegalStateException("could not measure the champion",
        new TrackingServerException("timed out", 0, null))));
    assertFalse(PendingPublication.serverAway(new TrackingServerException("no such run", 404, null)));
    assertFalse(PendingPublication.serverAway(new TrackingServerException("bad request", 400, null)));
    assertFalse(PendingPublication.serverAway(new IllegalArgumentException("--promote-if: bad metric")));
  }

  @Test
  void theMarkerRoundTripsAndIsListedUntilDeleted() {
    Path runs = dir.resolve("runs");
    PendingPublication pending = new PendingPublication("shapes", false, "evaluate/accuracy:max:0.001", "abc",
        "train/model", 0.9, 3L, 0.8, "MLflow server http://127.0.0.1:1 did not answer");
    pending.write(runs.resolve("r1"));
    assertEquals(Optional.of(pending), PendingPublication.read(runs.resolve("r1")));
    assertEquals(List.of("r1"), PendingPublication.runsWithPending(runs));
    PendingPublication.delete(runs.resolve("r1"));
    assertEquals(List.of(), PendingPublication.runsWithPending(runs));
    assertEquals(Optional.empty(), PendingPublication.read(runs.resolve("r1")));
  }

  @Test
  void aMarkerIsEitherRegisterOrAGate() {
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new PendingPublication(
        "shapes", true, "evaluate/accuracy", "abc", "train/model", null, null, null, null));
    assertTrue(both.getMessage().contains("exactly one"), both.getMessage());
  }
}
