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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
}
