package dev.tessera.pipelines.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.pipelines.testing.MlflowServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up check: an unreachable server and refused credentials fail before anything runs, naming the URI and
 * what to do, never the secret.
 *
 * <p>The refused-credentials cases here use a stand-in (the JDK's HTTP server answering 401 and 403) that records
 * the exact {@code Authorization} header Tessera sends, including for tokens, which MLflow's basic-auth app does not
 * take; {@code BasicAuthServerCliTest} (runners/cli) runs the same checks against MLflow's real
 * {@code --app-name basic-auth} server.
 */
class FailFastTest {
  private static final String SECRET = "s3cr3t-Value-42";

  @TempDir
  Path tmp;

  @Test
  void unreachableServerFailsNamingTheUriAndTheWayOut() {
    URI uri = URI.create("http://127.0.0.1:" + MlflowServer.freePort());
    TrackingServerException e = assertThrows(TrackingServerException.class,
        () -> ServerTracker.connect(ServerTrackerTest.settings(uri, tmp.resolve("spool"))));
    assertTrue(e.getMessage().startsWith("MLflow server " + uri + " is unreachable (GET /health: ConnectException"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("Start the server or fix MLFLOW_TRACKING_URI / --tracking-uri. To track "
        + "without a server, unset MLFLOW_TRACKING_URI (and drop --tracking-uri): runs then go to ./mlruns, and "
        + "'tessera mlflow sync --from ./mlruns --to " + uri + "' copies them later."), e.getMessage());
  }

  @Test
  void wrongTokenFailsWith401BeforeAnyRunAndNeverShowsTheToken() throws Exception {
    List<String> headers = new CopyOnWriteArrayList<>();
    HttpServer fake = refusingServer(401, headers);
    try {
      URI uri = URI.create("http://127.0.0.1:" + fake.getAddress().getPort());
      TrackingServerException e = assertThrows(TrackingServerException.class, () -> ServerTracker.connect(
          ServerTrackerTest.settings(uri, tmp.resolve("spool")).withCredentials(Credentials.token(SECRET))));
      assertEquals("MLflow server " + uri + " refused the credentials (401 Unauthorized, using a token from "
          + "MLFLOW_TRACKING_TOKEN). Set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and "
          + "MLFLOW_TRACKING_PASSWORD, to credentials this server accepts.", e.getMessage());
      assertEquals(401, e.status());
      assertTrue(headers.contains("Bearer " + SECRET), headers.toString());
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void refusedUserFailsWith403AndSendsBasicAuth() throws Exception {
    List<String> headers = new CopyOnWriteArrayList<>();
    HttpServer fake = refusingServer(403, headers);
    try {
      URI uri = URI.create("http://127.0.0.1:" + fake.getAddress().getPort());
      Credentials credentials = Credentials.fromEnvironment(Map.of(
          Credentials.USERNAME_VARIABLE, "alice", Credentials.PASSWORD_VARIABLE, SECRET));
      TrackingServerException e = assertThrows(TrackingServerException.class, () -> ServerTracker.connect(
          ServerTrackerTest.settings(uri, tmp.resolve("spool")).withCredentials(credentials)));
      assertTrue(e.getMessage().contains("refused the credentials (403 Forbidden, using user 'alice' from "
          + "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD)"), e.getMessage());
      assertFalse(e.getMessage().contains(SECRET));
      assertFalse(credentials.toString().contains(SECRET));
      assertTrue(headers.contains("Basic " + java.util.Base64.getEncoder().encodeToString(
          ("alice:" + SECRET).getBytes(StandardCharsets.UTF_8))), headers.toString());
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void refusesUserInfoInTheUri() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerSettings.of(
        URI.create("http://bob:" + SECRET + "@127.0.0.1:5000"), Credentials.none(), tmp));
    assertFalse(e.getMessage().contains(SECRET));
  }

  private static HttpServer refusingServer(int status, List<String> headers) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) {
        headers.add(auth);
      }
      boolean health = exchange.getRequestURI().getPath().equals("/health");
      byte[] body = (health ? "OK" : "{\"error_code\": \"" + (status == 401 ? "UNAUTHENTICATED" : "PERMISSION_DENIED")
          + "\", \"message\": \"no\"}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(health ? 200 : status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }
}
