package dev.tessera.pipelines.testing;

import dev.tessera.pipelines.tracking.server.Credentials;
import dev.tessera.pipelines.tracking.server.ServerSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real MLflow server for all the tests of a class: SQLite backend, artifacts served by the server
 * ({@link MlflowServer#sqlite}), in a temporary folder; started before the first test, stopped and deleted after
 * the last.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MlflowServerFixture MLFLOW = new MlflowServerFixture();
 *
 * try (ServerTracker tracker = ServerTracker.connect(MLFLOW.settings(tmp.resolve("spool")))) { ... }
 * MLFLOW.server().get("/api/2.0/mlflow/runs/get?run_id=" + id);
 * }</pre>
 */
public final class MlflowServerFixture implements BeforeAllCallback, AfterAllCallback {
  private Path directory;
  private MlflowServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    directory = Files.createTempDirectory("tessera-mlflow-server-");
    server = MlflowServer.sqlite(directory.resolve("mlflow.db"), directory.resolve("artifacts"));
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (directory != null) {
        CachedInstall.deleteTree(directory);
      }
    }
  }

  /** The running server; only between the class's first and last test. */
  public MlflowServer server() {
    if (server == null) {
      throw new IllegalStateException("the MLflow server runs only while the tests of the class run: register "
          + "the fixture as a static @RegisterExtension field");
    }
    return server;
  }

  /** Client settings for this server, as {@link #clientSettings}. */
  public ServerSettings settings(Path spool) {
    return clientSettings(server().uri(), spool);
  }

  /**
   * Client settings for a test server: no credentials, retries from 50 ms up to 500 ms apart (a test waits for
   * an outage in milliseconds, not the minutes a user's run allows) and a 20 s request timeout.
   */
  public static ServerSettings clientSettings(URI uri, Path spool) {
    return ServerSettings.of(uri, Credentials.none(), spool)
        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .withRequestTimeout(Duration.ofSeconds(20));
  }

}
