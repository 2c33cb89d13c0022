package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thirty days of two nightly schedules in Europe/Berlin, replayed on a simulated clock by two schedulers sharing
 * one home: a daylight-saving night, a run longer than a day, a failed run, a 3-day outage of both schedulers
 * (one run in flight finishes meanwhile), and a crash of one scheduler with its run, which the other resumes.
 * Every firing must be in the history once, with the outcome the policies call for, and no firing run twice.
 */
class SchedulerSimulationTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  @TempDir Path home;

  private final List<String> log = new ArrayList<>();

  private Scheduler scheduler(ScheduleStore store, FakeLauncher launcher, MutableClock clock) {
    Scheduler scheduler = new Scheduler(store, launcher, clock,
        Map.of(FiringCondition.ALWAYS, (s, t) -> Optional.empty()), new WebhookNotifier());
    scheduler.logTo(log::add);
    return scheduler;
  }

  /** Start dates 14 days before Berlin's spring-forward and fall-back nights. */
  @ParameterizedTest
  @ValueSource(strings = {"2026-03-15", "2026-10-11"})
  void thirtyNightsAreEachAccountedForOnceAcrossOutagesAndDst(String first) {
    LocalDate day0 = LocalDate.parse(first);
    Instant start = day0.atTime(12, 0).atZone(BERLIN).toInstant();
    Instant end = day0.plusDays(30).atTime(12, 0).atZone(BERLIN).toInstant();
    MutableClock clock = new MutableClock(start);
    ScheduleStore store = new ScheduleStore(home);
    store.save(new ScheduleSpec("nightly", "demo", "30 2 * * *", "Europe/Berlin", List.of(), null, null,
        OverlapPolicy.SKIP, MissedPolicy.RUN_ONCE, null, false, start.toString()));
    store.save(new ScheduleSpec("queued", "demo", "0 3 * * *", "Europe/Berlin", List.of(), null, null,
        OverlapPolicy.QUEUE, MissedPolicy.RUN_ONCE, null, false, start.toString()));
    // Day 5's runs take 30 hours; nightly's run of day 8 fails; every other run takes 20 minutes.
    var processes = FakeLauncher.processTable();
    java.util.function.BiFunction<String, Instant, FakeLauncher.Plan> plans = (schedule, at) -> {
      long day = ChronoUnit.DAYS.between(day0, at.atZone(BERLIN).toLocalDate());
      return new FakeLauncher.Plan(day == 5 ? Duration.ofHours(30) : Duration.ofMinutes(20),
          !(day == 8 && schedule.equals("nightly")));
    };
    FakeLauncher launcherA = new FakeLauncher(clock, processes, plans);
    FakeLauncher launcherB = new FakeLauncher(clock, processes, plans);
    Scheduler a = scheduler(store, launcherA, clock);
    Scheduler b = scheduler(store, launcherB, clock);
    // Events: both schedulers crash on day 10 at 02:40 (nightly's run is in flight and lives on), come back on
    // day 13 at noon; on day 20 at 02:40 scheduler A crashes and its run dies with it.
    Instant outage = day0.plusDays(10).atTime(2, 40).atZone(BERLIN).toInstant();
    Instant back = day0.plusDays(13).atTime(12, 0).atZone(BERLIN).toInstant();
    Instant crashA = day0.plusDays(20).atTime(2, 40).atZone(BERLIN).toInstant();
    boolean up = true;
    for (Instant t = start; t.isBefore(end); ) {
      Instant now = t;
      List<Instant> candidates = new ArrayList<>(List.of(end));
      if (up) {
        a.nextFiring().ifPresent(candidates::add);
      }
      processes.values().stream().map(FakeLauncher.FakeRun::end).filter(e -> e.isAfter(now))
          .forEach(candidates::add);
      for (Instant event : List.of(outage, back, crashA)) {
        if (event.isAfter(now)) {
          candidates.add(event);
        }
      }
      t = candidates.stream().min(Instant::compareTo).orElseThrow();
      clock.set(t);
      if (t.equals(outage)) {
        a.release();
        b.release();
        up = false;
      } else if (t.equals(back)) {
        launcherA = new FakeLauncher(clock, processes, plans);
        a = scheduler(store, launcherA, clock);
        b = scheduler(store, new FakeLauncher(clock, processes, plans), clock);
        up = true;
      } else if (t.equals(crashA)) {
        launcherA.killAll();
        a.release();
        a = scheduler(store, new FakeLauncher(clock, processes, plans), clock);
        b.tick(); // B notices first, before the new A does.
      }
      if (up) {
        a.tick();
        b.tick();
      }
    }

    String logText = String.join("\n", log);
    Map<String, String> nightly = outcomes(store, "nightly");
    Map<String, String> queued = outcomes(store, "queued");
    assertEquals(30, nightly.size(), "one firing a night, the DST night included\n" + nightly);
    assertEquals(30, queued.size(), "one firing a night, the DST night included\n" + queued);
    assertEquals(firings("30 2 * * *", start, end), nightly.keySet(), logText);
    assertEquals(firings("0 3 * * *", start, end), queued.keySet(), logText);

    assertEquals("skipped-overlap", nightly.get(local(day0.plusDays(6), 2, 30)), logText);
    assertEquals("ran", queued.get(local(day0.plusDays(6), 3, 0)), "day 6 waited for day 5's run\n" + logText);
    assertEquals("failed", nightly.get(local(day0.plusDays(8), 2, 30)));
    assertEquals("ran", nightly.get(local(day0.plusDays(10), 2, 30)), "finished while no scheduler ran");
    for (int day : List.of(11, 12)) {
      assertEquals("missed-skipped", nightly.get(local(day0.plusDays(day), 2, 30)), logText);
      assertEquals("missed-skipped", queued.get(local(day0.plusDays(day), 3, 0)), logText);
    }
    assertEquals("missed-skipped", queued.get(local(day0.plusDays(10), 3, 0)), logText);
    assertEquals("missed-then-run", nightly.get(local(day0.plusDays(13), 2, 30)), logText);
    assertEquals("missed-then-run", queued.get(local(day0.plusDays(13), 3, 0)), logText);
    // The DST night (day 14): 02:30 does not exist in March (runs at 03:00), and happens twice in October.
    String dstNight = day0.getMonthValue() == 3 ? "2026-03-29T03:00+02:00" : "2026-10-25T02:30+02:00";
    assertEquals("ran", nightly.get(dstNight), logText);

    FiringRecord crashed = store.firing("nightly", day0.plusDays(20).atTime(2, 30).atZone(BERLIN).toInstant())
        .orElseThrow();
    assertEquals(FiringOutcome.RAN, crashed.outcome(), logText);
    assertEquals(2, crashed.attempts(), "started, then resumed by scheduler B: " + crashed);
    // No firing ran twice: fresh starts (not resumes) are one per firing that ran, and run ids are unique.
    List<FakeLauncher.FakeRun> fresh = processes.values().stream().filter(r -> !r.resumed).toList();
    long ranFirings = store.firings("nightly").stream().filter(r -> r.runId() != null).count()
        + store.firings("queued").stream().filter(r -> r.runId() != null).count();
    assertEquals(ranFirings, fresh.size(), logText);
    assertEquals(fresh.size(), fresh.stream().map(r -> r.runId).distinct().count());
    FakeLauncher.FakeRun resumed = processes.values().stream().filter(r -> r.resumed).findFirst().orElseThrow();
    assertEquals(crashed.runId(), resumed.runId, "the resume continues the interrupted run");
    assertEquals(1, processes.values().stream().filter(r -> r.resumed).count(), logText);
  }

  private static Map<String, String> outcomes(ScheduleStore store, String name) {
    return store.firings(name).stream().collect(Collectors.toMap(
        r -> r.scheduled().atZone(BERLIN).toOffsetDateTime().toString(), r -> r.outcome().label(),
        (x, y) -> "DUPLICATE", TreeMap::new));
  }

  private static Set<String> firings(String cron, Instant start, Instant end) {
    return CronSchedule.of(cron, "Europe/Berlin").between(start, end, 1000).stream()
        .map(t -> t.atZone(BERLIN).toOffsetDateTime().toString()).collect(Collectors.toCollection(
            TreeSet::new));
  }

  private static String local(LocalDate day, int hour, int minute) {
    return day.atTime(hour, minute).atZone(BERLIN).toOffsetDateTime().toString();
  }
}
