package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import com.google.inject.util.Modules;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single decisions of the scheduler on a simulated clock, with the stand-in launcher (runs end on that clock). */
class SchedulerTest {
  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
  @TempDir Path home;
  private final MutableClock clock = new MutableClock(START);
  private final List<String> log = new ArrayList<>();

  private ScheduleSpec hourly(String name, String webhook) {
    return new ScheduleSpec(name, "demo", "0 * * * *", "UTC", List.of(), null, null, OverlapPolicy.SKIP,
        MissedPolicy.RUN_ONCE, webhook, false, START.toString());
  }

  private Scheduler scheduler(ScheduleStore store, FakeLauncher.Plan plan, Map<String, FiringCondition> conditions,
      WebhookNotifier notifier) {
    FakeLauncher launcher = new FakeLauncher(clock, FakeLauncher.processTable(), (s, t) -> plan);
    Scheduler scheduler = new Scheduler(store, launcher, clock, conditions, notifier);
    scheduler.logTo(log::add);
    return scheduler;
  }

  @Test
  void injectorBuiltSchedulerReadsTheBoundClock() {
    // The CLI's wiring, with a test clock and the stand-in launcher bound over the real ones.
    Injector injector = Guice.createInjector(Modules.override(new ScheduleModule()).with(binder -> {
      binder.bind(Clock.class).toInstance(clock);
      binder.bind(Launcher.class).toInstance(new FakeLauncher(clock, FakeLauncher.processTable(),
          (s, t) -> new FakeLauncher.Plan(Duration.ofMinutes(5), true)));
      binder.bind(Path.class).annotatedWith(Names.named("tessera.home")).toInstance(home);
      binder.bind(new TypeLiteral<Map<String, String>>() {}).annotatedWith(Names.named("environment"))
          .toInstance(Map.of());
    }));
    ScheduleStore store = injector.getInstance(ScheduleStore.class);
    store.save(hourly("h", null));
    Scheduler scheduler = injector.getInstance(Scheduler.class);
    assertEquals(Instant.parse("2026-06-01T01:00:00Z"), scheduler.nextFiring().orElseThrow());
    tickAt(scheduler, "2026-06-01T01:00:00Z");
    tickAt(scheduler, "2026-06-01T01:05:00Z");
    assertEquals(FiringOutcome.RAN, store.firings("h").get(0).outcome());
    assertEquals("2026-06-01T01:05:00Z", store.firings("h").get(0).endedAt());
  }

  private static Map<String, FiringCondition> always() {
    return Map.of(FiringCondition.ALWAYS, (s, t) -> Optional.empty());
  }

  /** A local webhook endpoint on {@code /hook} that keeps every body it receives and answers 200. */
  private static HttpServer hookServer(BlockingQueue<String> bodies) throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    return server;
  }

  private void tickAt(Scheduler scheduler, String instant) {
    clock.set(Instant.parse(instant));
    scheduler.tick();
  }

  @Test
  void failedRunIsRecordedAndPostedToTheWebhook() throws Exception {
    BlockingQueue<String> bodies = new ArrayBlockingQueue<>(10);
    HttpServer server = hookServer(bodies);
    try {
      ScheduleStore store = new ScheduleStore(home);
      store.save(hourly("h", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
      Scheduler scheduler = scheduler(store, new FakeLauncher.Plan(Duration.ofMinutes(5), false), always(),
          new WebhookNotifier(3, Duration.ofMillis(10)));
      tickAt(scheduler, "2026-06-01T01:00:00Z");
      tickAt(scheduler, "2026-06-01T01:05:00Z");
      FiringRecord failed = store.firings("h").get(0);
      assertEquals(FiringOutcome.FAILED, failed.outcome(), String.join("\n", log));
      JsonNode event = new ObjectMapper().readTree(bodies.poll(30, TimeUnit.SECONDS));
      assertEquals("h", event.get("schedule").asText());
      assertEquals("2026-06-01T01:00Z", event.get("firingTime").asText());
      assertEquals(failed.runId(), event.get("runId").asText());
      assertEquals("failed", event.get("outcome").asText());
      assertEquals(failed.reason(), event.get("reason").asText());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void conditionThatDeclinesRecordsSkippedWithItsReason() {
    ScheduleStore store = new ScheduleStore(home);
    store.save(new ScheduleSpec("h", "demo", "0 * * * *", "UTC", List.of(), null, "data-changed",
        OverlapPolicy.SKIP, MissedPolicy.RUN_ONCE, null, false, START.toString()));
    Scheduler scheduler = scheduler(store, new FakeLauncher.Plan(Duration.ofMinutes(5), true),
        Map.of("data-changed", (s, t) -> Optional.of("input digest unchanged since the last run")),
        new WebhookNotifier());
    tickAt(scheduler, "2026-06-01T01:00:00Z");
    FiringRecord skipped = store.firings("h").get(0);
    assertEquals(FiringOutcome.SKIPPED, skipped.outcome());
    assertEquals("input digest unchanged since the last run", skipped.reason());
    assertEquals(0, scheduler.running());
  }

  @Test
  void firingsWhilePausedAreNeitherRunNorMissed() {
    ScheduleStore store = new ScheduleStore(home);
    store.save(hourly("h", null).withPaused(true, START));
    Scheduler scheduler = scheduler(store, new FakeLauncher.Plan(Duration.ofMinutes(5), true), always(),
        new WebhookNotifier());
    tickAt(scheduler, "2026-06-01T05:00:00Z");
    assertTrue(store.firings("h").isEmpty());
    store.save(store.require("h").withPaused(false, clock.instant()));
    tickAt(scheduler, "2026-06-01T05:30:00Z");
    tickAt(scheduler, "2026-06-01T06:00:00Z");
    List<FiringRecord> firings = store.firings("h");
    assertEquals(1, firings.size(), firings.toString());
    assertEquals("2026-06-01T06:00:00Z", firings.get(0).scheduledAt());
    assertEquals(FiringOutcome.RUNNING, firings.get(0).outcome());
  }

  @Test
  void missedSkipPolicyRecordsEveryMissedFiringAndRunsNone() {
    ScheduleStore store = new ScheduleStore(home);
    store.save(new ScheduleSpec("h", "demo", "0 * * * *", "UTC", List.of(), null, null, OverlapPolicy.SKIP,
        MissedPolicy.SKIP, null, false, START.toString()));
    Scheduler scheduler = scheduler(store, new FakeLauncher.Plan(Duration.ofMinutes(5), true), always(),
        new WebhookNotifier());
    tickAt(scheduler, "2026-06-01T03:30:00Z");
    List<FiringRecord> firings = store.firings("h");
    assertEquals(List.of("missed-skipped", "missed-skipped", "missed-skipped"),
        firings.stream().map(r -> r.outcome().label()).toList());
    assertTrue(firings.get(0).reason().contains("--missed skip"), firings.get(0).reason());
    assertEquals(0, scheduler.running());
  }

  @Test
  void promotedRunPostsAPromotedEventAndAKeptChampionPostsNothing() throws Exception {
    BlockingQueue<String> bodies = new ArrayBlockingQueue<>(10);
    HttpServer server = hookServer(bodies);
    try {
      ScheduleStore store = new ScheduleStore(home);
      store.save(hourly("h", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
      GateOutcome kept = new GateOutcome("demo", Map.of("tessera.gate.decision", "kept",
          "tessera.gate.metric", "evaluate/accuracy", "tessera.gate.challenger_version", "2",
          "tessera.gate.challenger_value", "0.9", "tessera.gate.champion_value", "0.95",
          "tessera.gate.reason", "0.9 does not beat 0.95"));
      GateOutcome promoted = new GateOutcome("demo", Map.of("tessera.gate.decision", "promoted",
          "tessera.gate.metric", "evaluate/accuracy", "tessera.gate.challenger_version", "3",
          "tessera.gate.challenger_value", "0.97", "tessera.gate.champion_version", "1",
          "tessera.gate.champion_value", "0.95", "tessera.gate.reason", "0.97 beats 0.95"));
      FakeLauncher launcher = new FakeLauncher(clock, FakeLauncher.processTable(), (name, at) ->
          new FakeLauncher.Plan(Duration.ofMinutes(5), true, Optional.of(at.getEpochSecond() / 3600 % 2 == 1
              ? kept : promoted)));
      Scheduler scheduler = new Scheduler(store, launcher, clock, always(),
          new WebhookNotifier(3, Duration.ofMillis(10)));
      scheduler.logTo(log::add);
      tickAt(scheduler, "2026-06-01T01:00:00Z"); // kept
      tickAt(scheduler, "2026-06-01T01:05:00Z");
      tickAt(scheduler, "2026-06-01T02:00:00Z"); // promoted
      tickAt(scheduler, "2026-06-01T02:05:00Z");
      List<FiringRecord> firings = store.firings("h");
      assertEquals(List.of(FiringOutcome.RAN, FiringOutcome.RAN), firings.stream().map(FiringRecord::outcome)
          .toList(), String.join("\n", log));
      scheduler.webhooksSent().get(30, TimeUnit.SECONDS); // every event sent has been answered
      assertEquals(1, bodies.size(), bodies.toString());
      JsonNode event = new ObjectMapper().readTree(bodies.poll());
      assertEquals("promoted", event.get("outcome").asText());
      assertEquals(firings.get(1).runId(), event.get("runId").asText());
      assertEquals("h", event.get("schedule").asText());
      assertEquals("2026-06-01T02:00Z", event.get("firingTime").asText());
      assertEquals("demo", event.get("model").asText());
      assertEquals(3, event.get("version").asLong());
      assertEquals("evaluate/accuracy", event.get("metric").asText());
      assertEquals(0.97, event.get("challengerValue").asDouble());
      assertEquals(0.95, event.get("championValue").asDouble());
      assertEquals("0.97 beats 0.95", event.get("reason").asText());
    } finally {
      server.stop(0);
    }
  }

  /** A store with schedule {@code h}, hourly, posting to {@code server}'s {@code /hook}. */
  private ScheduleStore hourlyWithHook(HttpServer server) {
    ScheduleStore store = new ScheduleStore(home);
    store.save(hourly("h", "http://127.0.0.1:" + server.getAddress().getPort() + "/hook"));
    return store;
  }

  private static GateOutcome promotedGate() {
    return new GateOutcome("demo", Map.of("tessera.gate.decision", "promoted",
        "tessera.gate.metric", "evaluate/accuracy", "tessera.gate.challenger_version", "1",
        "tessera.gate.challenger_value", "0.97", "tessera.gate.reason", "no champion yet"));
  }

  @Test
  void pendingPublicationIsCompletedAfterBackoffAndItsPromotionPostedOnceAcrossARestart() throws Exception {
    BlockingQueue<String> bodies = new ArrayBlockingQueue<>(10);
    HttpServer server = hookServer(bodies);
    try {
      ScheduleStore store = hourlyWithHook(server);
      java.util.Map<Long, FakeLauncher.FakeRun> processes = FakeLauncher.processTable();
      FakeLauncher.Plan pending = new FakeLauncher.Plan(Duration.ofMinutes(5), true, Optional.empty(), true);
      FakeLauncher first = new FakeLauncher(clock, processes, (s, t) -> pending);
      WebhookNotifier notifier = new WebhookNotifier(3, Duration.ofMillis(10));
      Scheduler a = new Scheduler(store, first, clock, always(), notifier);
      a.logTo(log::add);
      tickAt(a, "2026-06-01T01:00:00Z");
      tickAt(a, "2026-06-01T01:05:00Z"); // the run succeeded; its publication is pending
      FiringRecord waiting = store.firings("h").get(0);
      assertEquals(FiringOutcome.PUBLICATION_PENDING, waiting.outcome(), String.join("\n", log));
      assertEquals("2026-06-01T01:06:00Z", waiting.retryAt(),
          "the first wait is " + PublicationCompleter.PUBLISH_BACKOFF);
      tickAt(a, "2026-06-01T01:05:59Z");
      assertEquals(List.of(), first.completions, "nothing before the back-off has passed");
      tickAt(a, "2026-06-01T01:06:00Z"); // completion 1: the server is still away
      tickAt(a, "2026-06-01T01:07:00Z");
      assertEquals(List.of("run-1"), first.completions);
      FiringRecord again = store.firings("h").get(0);
      assertEquals(FiringOutcome.PUBLICATION_PENDING, again.outcome(), String.join("\n", log));
      assertEquals(1, again.publications());
      assertEquals("2026-06-01T01:09:00Z", again.retryAt(), "the wait doubles");
      assertTrue(log.stream().anyMatch(l -> l.contains(": publication-pending (") && l.contains("completion 2 of "
          + PublicationCompleter.PUBLISH_ATTEMPTS + " ('tessera resume run-1') at 2026-06-01T01:09:00Z")),
          String.join("\n", log));
      a.release(); // the scheduler stops; another one takes the pending publication over

      FakeLauncher second = new FakeLauncher(clock, processes, (s, t) -> pending);
      second.serverUp = true;
      second.completedGate = Optional.of(promotedGate());
      Scheduler b = new Scheduler(store, second, clock, always(), notifier);
      b.logTo(log::add);
      tickAt(b, "2026-06-01T01:09:00Z");
      tickAt(b, "2026-06-01T01:10:00Z");
      FiringRecord done = store.firings("h").get(0);
      assertEquals(FiringOutcome.PROMOTED, done.outcome(), String.join("\n", log));
      assertEquals(2, done.publications());
      assertEquals("run-1", done.runId());
      assertTrue(done.reason().startsWith("demo version 1: no champion yet; completed by 'tessera resume run-1' "
          + "(completion 2) after run run-1 succeeded; its publication is pending"), done.reason());
      b.release();

      Scheduler c = new Scheduler(store, new FakeLauncher(clock, processes, (s, t) -> pending), clock, always(),
          notifier);
      c.logTo(log::add);
      tickAt(c, "2026-06-01T01:30:00Z");
      assertEquals(FiringOutcome.PROMOTED, store.firings("h").get(0).outcome());
      b.webhooksSent().get(30, TimeUnit.SECONDS);
      c.webhooksSent().get(30, TimeUnit.SECONDS);
      assertEquals(1, bodies.size(), "one promoted event, not one per scheduler: " + bodies);
      JsonNode event = new ObjectMapper().readTree(bodies.poll());
      assertEquals("promoted", event.get("outcome").asText());
      assertEquals("run-1", event.get("runId").asText());
      assertEquals(1, event.get("version").asLong());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aSchedulerThatStoppedWhileStartingACompletionIsTakenOverWithACompletionNotANewRun() {
    ScheduleStore store = new ScheduleStore(home);
    store.save(hourly("h", null));
    java.util.Map<Long, FakeLauncher.FakeRun> processes = FakeLauncher.processTable();
    FakeLauncher.Plan pending = new FakeLauncher.Plan(Duration.ofMinutes(5), true, Optional.empty(), true);
    Scheduler a = new Scheduler(store, new FakeLauncher(clock, processes, (s, t) -> pending), clock, always(),
        new WebhookNotifier(1, Duration.ofMillis(10)));
    a.logTo(log::add);
    tickAt(a, "2026-06-01T01:00:00Z");
    tickAt(a, "2026-06-01T01:05:00Z"); // the run succeeded; its publication is pending until 01:06
    // Its scheduler recorded completion 1 at 01:06:00 and stopped before the process started.
    store.saveFiring(store.firings("h").get(0).publishing(Instant.parse("2026-06-01T01:06:00Z")));
    a.release();

    FakeLauncher second = new FakeLauncher(clock, processes, (s, t) -> pending);
    second.serverUp = true;
    Scheduler b = new Scheduler(store, second, clock, always(), new WebhookNotifier(1, Duration.ofMillis(10)));
    b.logTo(log::add);
    tickAt(b, "2026-06-01T01:06:02Z");
    assertEquals(List.of(), second.mine, "a completion recorded 2 s ago may still be starting: wait");
    assertEquals(0, store.firings("h").get(0).pid());
    tickAt(b, "2026-06-01T01:06:30Z");
    FiringRecord taken = store.firings("h").get(0);
    assertEquals(List.of(), second.mine, "no new run of the schedule for a run that succeeded: "
        + String.join("\n", log));
    assertEquals(FiringOutcome.PUBLICATION_PENDING, taken.outcome());
    assertEquals("2026-06-01T01:08:30Z", taken.retryAt(), "completion 1 counts as tried: the wait doubles");
    tickAt(b, "2026-06-01T01:08:30Z");
    tickAt(b, "2026-06-01T01:10:00Z");
    assertEquals(List.of("run-1"), second.completions);
    assertEquals(FiringOutcome.REGISTERED, store.firings("h").get(0).outcome(), String.join("\n", log));
    assertEquals(2, store.firings("h").get(0).publications());
    b.release();
  }

  @Test
  void pendingPublicationIsGivenUpAfterBoundedCompletionsAndBlocksTheNextFiringMeanwhile() {
    ScheduleStore store = new ScheduleStore(home);
    store.save(hourly("h", null));
    FakeLauncher launcher = new FakeLauncher(clock, FakeLauncher.processTable(),
        (s, t) -> new FakeLauncher.Plan(Duration.ofMinutes(5), true, Optional.empty(), true));
    Scheduler scheduler = new Scheduler(store, launcher, clock, always(), new WebhookNotifier());
    scheduler.logTo(log::add);
    tickAt(scheduler, "2026-06-01T01:00:00Z");
    Instant now = Instant.parse("2026-06-01T01:05:00Z");
    while (store.firing("h", Instant.parse("2026-06-01T01:00:00Z")).orElseThrow().outcome()
        == FiringOutcome.PUBLICATION_PENDING || now.equals(Instant.parse("2026-06-01T01:05:00Z"))) {
      clock.set(now);
      scheduler.tick();
      now = now.plus(Duration.ofMinutes(1));
      assertTrue(now.isBefore(Instant.parse("2026-06-02T00:00:00Z")), String.join("\n", log));
    }
    FiringRecord given = store.firing("h", Instant.parse("2026-06-01T01:00:00Z")).orElseThrow();
    assertEquals(FiringOutcome.PUBLICATION_FAILED, given.outcome(), String.join("\n", log));
    assertEquals(PublicationCompleter.PUBLISH_ATTEMPTS, launcher.completions.size());
    assertEquals(PublicationCompleter.PUBLISH_ATTEMPTS, given.publications());
    assertTrue(given.reason().endsWith("gave up after " + PublicationCompleter.PUBLISH_ATTEMPTS
        + " completion attempts; complete it once the server is back: tessera resume run-1"), given.reason());
    // 5 min of run, then waits of 1, 2, 4, 8, 16, 30, 30, 30 min, each completion taking 1 min.
    assertEquals(Instant.parse("2026-06-01T01:05:00Z").plus(Duration.ofMinutes(121 + 8)),
        Instant.parse(given.endedAt()), String.join("\n", log));
    FiringRecord next = store.firing("h", Instant.parse("2026-06-01T02:00:00Z")).orElseThrow();
    assertEquals(FiringOutcome.SKIPPED_OVERLAP, next.outcome());
    assertTrue(next.reason().startsWith("the publication of the run of the firing at 2026-06-01T01:00:00Z (run-1) was "
        + "still pending"), next.reason());
  }
}
