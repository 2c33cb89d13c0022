package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --when data-changed}: runs when the local dataset grew, skips when it did not, retries after a failure. */
class DataChangedConditionTest {
  @TempDir Path home;

  @Test
  void runsOnlyWhenTheFolderChangedSinceTheLastSuccessfulRun() throws Exception {
    Path images = Files.createDirectories(home.resolve("images/train/cat"));
    Files.writeString(images.resolve("1.png"), "one");
    ScheduleStore store = new ScheduleStore(home);
    ScheduleSpec nightly = new ScheduleSpec("nightly", "my-experiment", "0 2 * * *", "UTC", List.of(), null,
        DataChangedCondition.NAME, OverlapPolicy.SKIP, MissedPolicy.RUN_ONCE, null, false,
        "2026-06-01T00:00:00Z");
    store.save(nightly);
    DataChangedCondition condition = new DataChangedCondition(store,
        schedule -> List.of("folder:" + home.resolve("images"), "catalog:mnist"), home.resolve("indexes"));

    Instant day1 = Instant.parse("2026-06-02T02:00:00Z");
    assertEquals(Optional.empty(), condition.skipReason(nightly, day1), "no successful run yet: run");
    store.saveFiring(ran(day1, FiringOutcome.RAN));

    Instant day2 = Instant.parse("2026-06-03T02:00:00Z");
    Optional<String> skip = condition.skipReason(nightly, day2);
    assertTrue(skip.orElseThrow().startsWith("input data unchanged since the successful run of "
        + day1), skip.toString());
    store.saveFiring(FiringRecord.settled("nightly", day2, FiringOutcome.SKIPPED, skip.get(), day2, false));

    Files.writeString(images.resolve("2.png"), "two"); // a new image arrives
    Instant day3 = Instant.parse("2026-06-04T02:00:00Z");
    assertEquals(Optional.empty(), condition.skipReason(nightly, day3), "the folder grew: run");
    store.saveFiring(ran(day3, FiringOutcome.FAILED));

    Instant day4 = Instant.parse("2026-06-05T02:00:00Z");
    assertEquals(Optional.empty(), condition.skipReason(nightly, day4),
        "the run that saw the new image failed: the next firing retries it");
    store.saveFiring(ran(day4, FiringOutcome.RAN));
    assertTrue(condition.skipReason(nightly, Instant.parse("2026-06-06T02:00:00Z")).isPresent());
  }

  private static FiringRecord ran(Instant firing, FiringOutcome outcome) {
    return new FiringRecord("nightly", firing.toString(), outcome, null, firing.toString(),
        firing.plusSeconds(600).toString(), "run-" + firing.getEpochSecond(), 1, 1, false, null);
  }
}
