package dev.tessera.runners.cli.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * POSTs firing events to a schedule's webhook from a background thread, so a slow or dead endpoint never holds up
 * a run or the scheduler. A failed attempt (no answer within 10 s, or a status other than 2xx) is retried with
 * exponential backoff, a bounded number of times; then the event is given up and a log line says so.
 */
public final class WebhookNotifier implements AutoCloseable {
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "tessera-webhook");
    thread.setDaemon(true);
    return thread;
  });
  /** Events sent and not yet accepted or given up, so that {@link #drain} can wait for them. */
  private final Set<CompletableFuture<Boolean>> pending = ConcurrentHashMap.newKeySet();
  private final int attempts;
  private final Duration firstBackoff;
  private volatile Consumer<String> log = line -> { };

  /** Four attempts, 1 s, 2 s and 4 s apart. */
  @Inject
  public WebhookNotifier() {
    this(4, Duration.ofSeconds(1));
  }

  /**
   * @param attempts how many times an event is sent at most (>= 1)
   * @param firstBackoff the wait before the second attempt; each later wait doubles
   */
  public WebhookNotifier(int attempts, Duration firstBackoff) {
    if (attempts < 1 || firstBackoff.isNegative()) {
      throw new IllegalArgumentException("webhook attempts must be >= 1 and backoff >= 0, but were " + attempts
          + " and " + firstBackoff);
    }
    this.attempts = attempts;
    this.firstBackoff = firstBackoff;
  }

  /** Where attempts and give-ups are reported (the scheduler's log). */
  public void logTo(Consumer<String> sink) {
    this.log = sink;
  }

  /**
   * Sends the event in the background; returns at once. The future completes with true once the endpoint
   * accepted it, false when every attempt failed; it never completes exceptionally.
   */
  public CompletableFuture<Boolean> send(URI url, WebhookEvent event) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    byte[] body;
    try {
      body = json.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write webhook event " + event, e);
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    pending.add(done);
    done.whenComplete((accepted, error) -> pending.remove(done));
    timer.execute(() -> attempt(request, 1, done));
    return done;
  }

  private void attempt(HttpRequest request, int attempt, CompletableFuture<Boolean> done) {
    client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
      if (error == null && response.statusCode() / 100 == 2) {
        done.complete(true);
        return;
      }
      String why = error != null ? error.toString() : "HTTP " + response.statusCode();
      if (attempt >= attempts) {
        log.accept("webhook " + request.uri() + ": gave up after " + attempt + " attempts (" + why + ")");
        done.complete(false);
        return;
      }
      long delay = firstBackoff.toMillis() << (attempt - 1);
      log.accept("webhook " + request.uri() + ": attempt " + attempt + " failed (" + why + "); retrying in "
          + delay + " ms");
      try {
        timer.schedule(() -> attempt(request, attempt + 1, done), delay, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        done.complete(false);
      }
    });
  }

  /** Stops retrying; events in flight get {@code grace} to finish. */
  @Override
  public void close() {
    timer.shutdown();
  }

  /**
   * Waits up to {@code grace} for every event sent so far to be accepted or given up (retries go on meanwhile), then
   * stops: an event still unanswered at the deadline is given up, with a log line. The scheduler calls this when it
   * stops, so that a failure or promotion it just saw is not lost with the process.
   */
  public void drain(Duration grace) throws InterruptedException {
    List<CompletableFuture<Boolean>> waiting = List.copyOf(pending);
    try {
      CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException late) {
      long left = waiting.stream().filter(f -> f.complete(false)).count();
      log.accept("webhook: gave up " + left + " event(s) not answered within " + (grace.toMillis() % 1000 == 0
          ? grace.toSeconds() + " s" : grace.toMillis() + " ms") + " of stopping");
    } catch (ExecutionException never) {
      throw new IllegalStateException("a webhook event completed exceptionally", never);
    } finally {
      timer.shutdown();
    }
  }
}
