package dev.tessera.runners.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook events against a real JDK HTTP server on 127.0.0.1 that fails its first answers. */
class WebhookNotifierTest {
  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? 503 : 204, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI hook() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  private static WebhookEvent event() {
    return new WebhookEvent("nightly", "demo", "2026-03-29T03:00+02:00", "20260329-010000-abcdef", "failed",
        "run failed (exit 1)");
  }

  @Test
  void retriesWithBackoffUntilTheEndpointAccepts() throws Exception {
    failuresLeft.set(2);
    List<String> log = new CopyOnWriteArrayList<>();
    WebhookNotifier notifier = new WebhookNotifier(4, Duration.ofMillis(20));
    notifier.logTo(log::add);
    var sent = notifier.send(hook(), event());
    assertTrue(sent.get(30, TimeUnit.SECONDS));
    assertEquals(3, bodies.size(), "two refusals, then accepted: " + log);
    JsonNode body = new ObjectMapper().readTree(bodies.get(2));
    assertEquals("nightly", body.get("schedule").asText());
    assertEquals("2026-03-29T03:00+02:00", body.get("firingTime").asText());
    assertEquals("20260329-010000-abcdef", body.get("runId").asText());
    assertEquals("failed", body.get("outcome").asText());
    assertEquals("run failed (exit 1)", body.get("reason").asText());
    assertTrue(log.get(1).contains("attempt 2 failed (HTTP 503); retrying in 40 ms"), log.toString());
  }

  @Test
  void givesUpAfterTheBoundAndNeverBlocksTheCaller() throws Exception {
    failuresLeft.set(100);
    WebhookNotifier notifier = new WebhookNotifier(3, Duration.ofMillis(10));
    var sent = notifier.send(hook(), event());
    assertFalse(sent.isDone() && sent.get(), "send returns before the endpoint answered");
    assertFalse(sent.get(30, TimeUnit.SECONDS));
    assertEquals(3, bodies.size());
  }

  /** A server on 127.0.0.1 whose endpoint holds each request until {@code release} (at most a minute). */
  private static HttpServer slowServer(CountDownLatch arrived, CountDownLatch release) throws Exception {
    HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    slow.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      arrived.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    slow.start();
    return slow;
  }

  @Test
  void drainWaitsForAPostStillInFlight() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer slow = slowServer(arrived, release);
    try {
      WebhookNotifier notifier = new WebhookNotifier(4, Duration.ofMillis(10));
      var sent = notifier.send(URI.create("http://127.0.0.1:" + slow.getAddress().getPort() + "/hook"), event());
      assertTrue(arrived.await(30, TimeUnit.SECONDS), "the POST reached the server");
      AtomicReference<Boolean> doneWhenDrained = new AtomicReference<>();
      Thread stopping = new Thread(() -> {
        try {
          notifier.drain(Duration.ofSeconds(60));
          doneWhenDrained.set(sent.isDone() && sent.getNow(false));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      stopping.start();
      // Answer only once drain is waiting (or has returned, which is the bug this test is for).
      while (stopping.getState() != Thread.State.TIMED_WAITING && stopping.getState() != Thread.State.WAITING
          && stopping.getState() != Thread.State.TERMINATED) {
        Thread.onSpinWait();
      }
      release.countDown();
      stopping.join(TimeUnit.SECONDS.toMillis(60));
      assertEquals(Boolean.TRUE, doneWhenDrained.get(), "drain returned only after the endpoint accepted the event");
    } finally {
      release.countDown();
      slow.stop(0);
    }
  }

  @Test
  void drainGivesUpAnEventTheEndpointDoesNotAnswerWithinTheGrace() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer slow = slowServer(arrived, release);
    try {
      List<String> log = new CopyOnWriteArrayList<>();
      WebhookNotifier notifier = new WebhookNotifier(4, Duration.ofMillis(10));
      notifier.logTo(log::add);
      var sent = notifier.send(URI.create("http://127.0.0.1:" + slow.getAddress().getPort() + "/hook"), event());
      assertTrue(arrived.await(30, TimeUnit.SECONDS), "the POST reached the server");
      notifier.drain(Duration.ofMillis(200));
      assertTrue(sent.isDone(), "drain is bounded");
      assertFalse(sent.get(), "an unanswered event is given up");
      assertTrue(log.contains("webhook: gave up 1 event(s) not answered within 200 ms of stopping"), log.toString());
    } finally {
      release.countDown();
      slow.stop(0);
    }
  }
}
