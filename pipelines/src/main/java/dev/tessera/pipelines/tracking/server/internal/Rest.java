package dev.tessera.pipelines.tracking.server.internal;

import dev.tessera.pipelines.tracking.server.ServerSettings;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * MLflow REST calls over {@link HttpClient}: every call has the connect and request timeouts of the settings and
 * the {@code Authorization} header of its credentials. One call is one attempt; {@link #withRetries} adds
 * exponential backoff on connection errors, timeouts, 5xx and 429 only.
 */
public final class Rest {
  public static final String API = "/api/2.0/mlflow/";
  public static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts/";

  private final ServerSettings settings;
  private final HttpClient http;
  private final String authorization;

  public Rest(ServerSettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.authorization = settings.credentials().authorizationHeader().orElse(null);
  }

  /** The server's answer. */
  public record Response(int status, String body) {
    public boolean ok() {
      return status / 100 == 2;
    }

    /** 5xx and 429 are worth another attempt; other 4xx are not. */
    public boolean retryable() {
      return status >= 500 || status == 429;
    }

    public boolean authFailure() {
      return status == 401 || status == 403;
    }
  }

  /** One call; {@link IOException} when the server cannot be reached or does not answer in time. */
  @FunctionalInterface
  public interface Call {
    Response send() throws IOException;
  }

  public URI uri() {
    return settings.uri();
  }

  /** {@code GET <uri><pathAndQuery>}. */
  public Response get(String pathAndQuery) throws IOException {
    return send(request(pathAndQuery).GET().build());
  }

  /**
   * {@code GET <uri><pathAndQuery>} with the body written to {@code target} when the answer is 2xx; the returned
   * body is empty then, and the error text otherwise.
   */
  public Response download(String pathAndQuery, Path target) throws IOException {
    HttpRequest request = request(pathAndQuery).GET().build();
    try {
      HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (java.io.InputStream body = response.body()) {
        if (response.statusCode() / 100 != 2) {
          return new Response(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
        java.nio.file.Files.copy(body, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new Response(response.statusCode(), "");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during GET " + request.uri().getPath());
    }
  }

  /** {@code POST <uri>/api/2.0/mlflow/<endpoint>} with a JSON body. */
  public Response postJson(String endpoint, String json) throws IOException {
    return send(request(API + endpoint)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build());
  }

  /**
   * As {@link #postJson}, without waiting: the answer, or an {@link IOException} (as the future's cause) when the
   * server cannot be reached or does not answer in time.
   */
  public java.util.concurrent.CompletableFuture<Response> postJsonAsync(String endpoint, String json) {
    HttpRequest request = request(API + endpoint)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> new Response(response.statusCode(), response.body()));
  }

  /** Uploads one file as the run's artifact {@code artifactPath} (relative, '/'-separated). */
  public Response putArtifact(String experimentId, String runId, String artifactPath, Path file)
      throws IOException {
    StringBuilder path = new StringBuilder(ARTIFACTS_API).append(experimentId).append('/').append(runId)
        .append("/artifacts");
    for (String segment : artifactPath.split("/")) {
      path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return send(request(path.toString())
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofFile(file))
        .build());
  }

  /**
   * Runs {@code call} up to {@code maxAttempts} times, waiting {@code initialBackoff}, then twice as long each
   * time (at most {@code maxBackoff}), after a connection error, a timeout, a 5xx or a 429. Returns the last
   * answer (which may be an error to report) or throws the last {@link IOException}.
   */
  public Response withRetries(Call call) throws IOException {
    Duration wait = settings.initialBackoff();
    for (int attempt = 1; ; attempt++) {
      try {
        Response response = call.send();
        if (!response.retryable() || attempt >= settings.maxAttempts()) {
          return response;
        }
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        if (attempt >= settings.maxAttempts()) {
          throw e;
        }
      }
      sleep(wait);
      wait = min(wait.multipliedBy(2), settings.maxBackoff());
    }
  }

  /** The query-string form of a value. */
  public static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.uri() + pathAndQuery))
        .timeout(settings.requestTimeout());
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private Response send(HttpRequest request) throws IOException {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during " + request.method() + " " + request.uri().getPath());
    }
  }

  private static void sleep(Duration wait) throws InterruptedIOException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }
}
