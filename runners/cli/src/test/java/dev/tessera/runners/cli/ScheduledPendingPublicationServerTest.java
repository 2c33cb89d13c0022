package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.runners.cli.InProcessTessera.Result;
import dev.tessera.runners.cli.schedule.ChildProcessLauncher;
import dev.tessera.runners.cli.schedule.FiringCondition;
import dev.tessera.runners.cli.schedule.FiringOutcome;
import dev.tessera.runners.cli.schedule.FiringRecord;
import dev.tessera.runners.cli.schedule.LaunchedRun;
import dev.tessera.runners.cli.schedule.Launcher;
import dev.tessera.runners.cli.schedule.MissedPolicy;
import dev.tessera.runners.cli.schedule.MutableClock;
import dev.tessera.runners.cli.schedule.OverlapPolicy;
import dev.tessera.runners.cli.schedule.ScheduleSpec;
import dev.tessera.runners.cli.schedule.ScheduleStore;
import dev.tessera.runners.cli.schedule.Scheduler;
import dev.tessera.runners.cli.schedule.WebhookNotifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler completing a publication that an MLflow outage left pending, against a real server that is stopped
 * and started again: the firing is {@code publication-pending}, a completion ({@code tessera resume}, a child
 * process) while the server is still down leaves it so and waits longer, and once the server is back a completion
 * registers the model once, the gate promotes it, the firing ends {@code promoted}, and the promotion webhook is
 * posted once, also when another scheduler looks at the firing afterwards.
 *
 * <p>It lives in this package for the hook {@code RunPublication.beforeRegistering}: the firing's run goes in this
 * JVM so that the hook can take the server away at the moment the run is about to register its model.
 */
class ScheduledPendingPublicationServerTest {
  private static final String GATE = "evaluate/accuracy:max:0.001";
  private static final Instant FIRING = Instant.parse("2026-06-01T02:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private MlflowServer server;
  private HttpServer hook;
  private final List<LaunchedRun> children = new CopyOnWriteArrayList<>();
  private final List<String> decisions = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    RunPublication.beforeRegistering = () -> {};
    System.clearProperty(RunRecord.FIRING_TAG);
    children.forEach(run -> ProcessHandle.of(run.pid()).ifPresent(ProcessHandle::destroyForcibly));
    if (hook != null) {
      hook.stop(0);
    }
    if (server != null) {
      server.close();
    }
  }

  /** The real launcher, except that a firing's first run goes in this JVM with the server taken away by the hook. */
  private Launcher launcher(ChildProcessLauncher real, Path home, Map<String, String> environment) {
    return new Launcher() {
      @Override
      public LaunchedRun start(ScheduleSpec schedule, Instant firing, Path log) throws IOException {
        System.setProperty(RunRecord.FIRING_TAG, schedule.name() + "@" + firing); // as the child's -D flag does
        RunPublication.beforeRegistering = () -> server.close();
        Result run;
        try {
          run = InProcessTessera.run(home, environment, schedule.runArgs().toArray(String[]::new));
        } finally {
          RunPublication.beforeRegistering = () -> {};
          System.clearProperty(RunRecord.FIRING_TAG);
        }
        Files.createDirectories(log.getParent());
        Files.writeString(log, run.out() + run.err());
        // Watched as the real launcher watches a run that ended before it looked: found by its firing.
        return real.reattach(schedule, new FiringRecord(schedule.name(), firing.toString(), FiringOutcome.RUNNING,
            "on time", null, null, null, 0, 1, false, log.toString())).orElseThrow();
      }

      @Override
      public LaunchedRun resume(ScheduleSpec schedule, Instant firing, String runId, Path log) throws IOException {
        throw new AssertionError("the run succeeded: nothing to resume, only its publication to complete");
      }

      @Override
      public LaunchedRun complete(ScheduleSpec schedule, Instant firing, String runId, Path log)
          throws IOException {
        LaunchedRun child = real.complete(schedule, firing, runId, log);
        children.add(child);
        return child;
      }

      @Override
      public Optional<LaunchedRun> reattach(ScheduleSpec schedule, FiringRecord record) {
        return real.reattach(schedule, record);
      }
    };
  }

  /** Ticks (the clock stays put; child processes go on in real time) until the firing's record is {@code done}. */
  private FiringRecord tickUntil(Scheduler scheduler, ScheduleStore store, Predicate<FiringRecord> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    while (System.nanoTime() < deadline) {
      scheduler.tick();
      Optional<FiringRecord> record = store.firing("nightly", FIRING).filter(done);
      if (record.isPresent()) {
        return record.get();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // polling a child process, as the CLI does
    }
    throw new AssertionError("the firing did not get there\n" + String.join("\n", decisions) + "\n" + log(store));
  }

  private String log(ScheduleStore store) {
    try {
      Path log = store.logFile("nightly", FIRING);
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private String history(Path home) {
    Result history = InProcessTessera.run(home, "schedule", "history", "nightly");
    assertEquals(0, history.exitCode(), history.err());
    return history.out();
  }

  @Test
  void theSchedulerCompletesAPendingPublicationOnceTheServerIsBackAndPostsThePromotionOnce() throws Exception {
    var restartable = new PendingPublicationServerTest.RestartableServer(dir);
    server = restartable.start();
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    hook.start();
    Path home = dir.resolve("home");
    Map<String, String> environment = Map.of("TESSERA_HOME", home.toString(),
        "MLFLOW_TRACKING_URI", server.uri().toString());
    String file = UserExperimentCliTest.writeUserFolder(dir).toString();
    ScheduleStore store = new ScheduleStore(home);
    store.save(new ScheduleSpec("nightly", file, "0 2 * * *", "UTC", List.of(), null, null, OverlapPolicy.SKIP,
        MissedPolicy.RUN_ONCE, "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook", false,
        FIRING.minus(Duration.ofHours(2)).toString(), GATE));
    MutableClock clock = new MutableClock(FIRING.plusSeconds(5));
    Launcher launcher = launcher(new ChildProcessLauncher(home, environment), home, environment);
    WebhookNotifier notifier = new WebhookNotifier(3, Duration.ofMillis(10));
    Scheduler first = new Scheduler(store, launcher, clock, Map.of(FiringCondition.ALWAYS,
        (s, t) -> Optional.empty()), notifier);
    first.logTo(line -> decisions.add("[" + Instant.now() + "] " + line)); // real time beside the test's clock

    // The run succeeds; the server goes away as it is about to register the model.
    FiringRecord pending = tickUntil(first, store, r -> r.outcome() == FiringOutcome.PUBLICATION_PENDING);
    String runId = pending.runId();
    assertTrue(pending.reason().startsWith("run " + runId + " succeeded (process "), pending.reason());
    assertTrue(pending.reason().contains("the registration and promotion gate (--promote-if " + GATE
        + ") of its model is pending: MLflow server " + server.uri()), pending.reason());
    assertEquals(FIRING.plusSeconds(5).plus(Duration.ofMinutes(1)).toString(), pending.retryAt());
    assertTrue(history(home).contains(" publication-pending "), history(home));

    // The first completion finds the server still down: still pending, and the next one waits twice as long.
    clock.set(Instant.parse(pending.retryAt()));
    FiringRecord stillDown = tickUntil(first, store, r -> r.publications() == 1 && r.retryAt() != null);
    assertEquals(FiringOutcome.PUBLICATION_PENDING, stillDown.outcome(), String.join("\n", decisions));
    assertEquals(clock.instant().plus(Duration.ofMinutes(2)).toString(), stillDown.retryAt());
    Path runDirectory = home.resolve("runs").resolve(runId);
    assertTrue(Files.isRegularFile(runDirectory.resolve(PendingPublication.FILE_NAME)));

    server = restartable.start();
    clock.set(Instant.parse(stillDown.retryAt()));
    FiringRecord done = tickUntil(first, store, r -> r.outcome().done());
    String context = String.join("\n", decisions) + "\n" + log(store);
    assertEquals(FiringOutcome.PROMOTED, done.outcome(), context);
    assertEquals(2, done.publications(), context);
    assertTrue(done.reason().startsWith("shapes version 1: no champion yet") && done.reason().contains(
        "; completed by 'tessera resume " + runId + "' (completion 2) after run " + runId + " succeeded"),
        done.reason());
    assertFalse(Files.exists(runDirectory.resolve(PendingPublication.FILE_NAME)), context);
    String history = history(home);
    assertTrue(history.contains(" " + runId + " ") && history.contains(" promoted ")
        && history.contains("(completion 2) after run " + runId), history);
    first.release();

    // Another scheduler (a restart) finds the firing settled: no completion, no second event.
    Scheduler restarted = new Scheduler(store, launcher, clock, Map.of(FiringCondition.ALWAYS,
        (s, t) -> Optional.empty()), notifier);
    restarted.logTo(line -> decisions.add("[" + Instant.now() + "] " + line));
    clock.set(clock.instant().plusSeconds(60));
    restarted.tick();
    notifier.drain(Duration.ofSeconds(30));
    assertEquals(2, children.size(), "two completions in all\n" + context);
    assertEquals(1, bodies.size(), "one promoted event: " + bodies);
    JsonNode event = JSON.readTree(bodies.poll());
    assertEquals("promoted", event.get("outcome").asText());
    assertEquals(runId, event.get("runId").asText());
    assertEquals(1, event.get("version").asLong());

    JsonNode versions = JSON.readTree(server.get("/api/2.0/mlflow/model-versions/search?filter="
        + URLEncoder.encode("name='shapes'", StandardCharsets.UTF_8)).body()).path("model_versions");
    assertEquals(1, versions.size(), versions.toString());
    assertEquals("1", JSON.readTree(server.get("/api/2.0/mlflow/registered-models/alias?name=shapes&alias=champion")
        .body()).at("/model_version/version").asText());
  }
}
