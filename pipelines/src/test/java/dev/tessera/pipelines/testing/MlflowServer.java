package dev.tessera.pipelines.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real MLflow tracking server ({@code mlflow server}, which also serves the UI) from {@link PythonEnv}, for
 * tests: started on a free port of 127.0.0.1, ready once {@code GET /health} answers 200, stopped with its whole
 * process tree by {@link #close()}.
 *
 * <pre>{@code
 * try (MlflowServer server = MlflowServer.fileStore(tmp.resolve("mlruns"))) {
 *   HttpResponse<String> r = server.postJson("/api/2.0/mlflow/runs/search", "{\"experiment_ids\":[\"0\"]}");
 * }
 * try (MlflowServer server = MlflowServer.sqlite(tmp.resolve("mlflow.db"), tmp.resolve("artifacts"))) { ... }
 * }</pre>
 */
public final class MlflowServer implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final URI uri;
  private final Path log;
  private final HttpClient http;
  private final String authorization;

  private MlflowServer(Process process, URI uri, Path log, String authorization) {
    this.process = process;
    this.uri = uri;
    this.log = log;
    this.authorization = authorization;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A server over a file store ({@code --backend-store-uri <dir>}, with {@code MLFLOW_ALLOW_FILE_STORE=true}). */
  public static MlflowServer fileStore(Path storeDir) {
    return start(storeDir.toAbsolutePath().toString(), null, storeDir.toAbsolutePath().getParent());
  }

  /**
   * A server over SQLite ({@code sqlite:///<db>}) that serves artifacts itself ({@code --serve-artifacts
   * --artifacts-destination <artifactsDir>}): runs get {@code mlflow-artifacts:/...} artifact URIs.
   */
  public static MlflowServer sqlite(Path dbFile, Path artifactsDir) {
    return sqlite(dbFile, artifactsDir, freePort());
  }

  /**
   * As {@link #sqlite(Path, Path)} on a given port: restarting a stopped server on its port and backend makes it
   * the same server again for its clients.
   */
  public static MlflowServer sqlite(Path dbFile, Path artifactsDir, int port) {
    Path db = dbFile.toAbsolutePath();
    return start("sqlite:///" + db, artifactsDir.toAbsolutePath(), db.getParent(), port, List.of());
  }

  /**
   * A server over a private PostgreSQL database ({@link PostgresServer#sqlAlchemyUri()}) that serves artifacts
   * from {@code artifactsDir}, with extra {@code mlflow server} arguments (like {@code --workers 2}).
   */
  public static MlflowServer postgres(PostgresServer database, Path artifactsDir, List<String> extraArgs) {
    Path artifacts = artifactsDir.toAbsolutePath();
    return start(database.sqlAlchemyUri(), artifacts, artifacts.getParent(), freePort(), extraArgs);
  }

  /**
   * A server over any backend store URI; with {@code artifactsDestination} it serves artifacts from there,
   * otherwise it does not serve artifacts. {@code workDir} holds the server's log (and anything MLflow writes to
   * its working directory).
   */
  public static MlflowServer start(String backendStoreUri, Path artifactsDestination, Path workDir) {
    return start(backendStoreUri, artifactsDestination, workDir, freePort(), List.of());
  }

  /**
   * A server over SQLite that serves artifacts and runs MLflow's basic-auth app ({@code --app-name basic-auth}):
   * every API call needs HTTP basic credentials. Its user store is {@code auth.db} beside {@code dbFile}, created
   * with the user {@code admin} and {@code adminPassword}; {@link #get} and {@link #postJson} send the admin's
   * credentials; {@link #createUser} adds users. The UI's CSRF key is random per server.
   */
  public static MlflowServer basicAuth(Path dbFile, Path artifactsDir, String adminPassword) {
    Path db = dbFile.toAbsolutePath();
    Path config = db.resolveSibling("basic_auth.ini");
    try {
      Files.createDirectories(db.getParent());
      Files.writeString(config, String.join("\n",
          "[mlflow]",
          "default_permission = READ",
          "database_uri = sqlite:///" + db.resolveSibling("auth.db"),
          "admin_username = admin",
          "admin_password = " + adminPassword,
          "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
          ""));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + config, e);
    }
    String admin = "Basic " + Base64.getEncoder().encodeToString(
        ("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
    return start("sqlite:///" + db, artifactsDir.toAbsolutePath(), db.getParent(), freePort(),
        List.of("--app-name", "basic-auth"), Map.of("MLFLOW_AUTH_CONFIG_PATH", config.toString(),
            "MLFLOW_FLASK_SERVER_SECRET_KEY", java.util.UUID.randomUUID().toString()), admin);
  }

  /** Creates a user of a {@link #basicAuth} server (as admin). */
  public void createUser(String username, String password) {
    String body = "{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}";
    HttpResponse<String> response = postJson("/api/2.0/mlflow/users/create", body);
    if (response.statusCode() != 200) {
      throw new AssertionError("could not create user " + username + ": " + response.statusCode() + " "
          + response.body());
    }
  }

  /** As {@link #start(String, Path, Path)} on a given port, with extra {@code mlflow server} arguments. */
  public static MlflowServer start(String backendStoreUri, Path artifactsDestination, Path workDir, int port,
      List<String> extraArgs) {
    return start(backendStoreUri, artifactsDestination, workDir, port, extraArgs, Map.of(), null);
  }

  private static MlflowServer start(String backendStoreUri, Path artifactsDestination, Path workDir, int port,
      List<String> extraArgs, Map<String, String> environment, String authorization) {
    PythonEnv env = PythonEnv.get();
    List<String> command = new ArrayList<>(List.of(
        env.bin("mlflow").toString(), "server",
        "--backend-store-uri", backendStoreUri,
        "--host", "127.0.0.1",
        "--port", Integer.toString(port),
        "--workers", "1"));
    if (artifactsDestination != null) {
      command.addAll(List.of("--serve-artifacts", "--artifacts-destination", artifactsDestination.toString()));
    } else {
      command.add("--no-serve-artifacts");
    }
    command.addAll(extraArgs);
    try {
      Files.createDirectories(workDir);
      Path log = Files.createTempFile(workDir, "mlflow-server-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().put("MLFLOW_ALLOW_FILE_STORE", "true");
      builder.environment().put("PYTHONUNBUFFERED", "1");
      builder.environment().putAll(environment);
      Process process = builder.start();
      MlflowServer server = new MlflowServer(process, URI.create("http://127.0.0.1:" + port), log, authorization);
      try {
        server.awaitHealthy(command);
      } catch (RuntimeException | Error e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
  }

  /** The tracking URI, {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    return uri;
  }

  /** The port the server listens on. */
  public int port() {
    return uri.getPort();
  }

  /** The {@code mlflow server} process (its workers are its descendants). */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** {@code GET <uri><pathAndQuery>} (as admin on a {@link #basicAuth} server). */
  public HttpResponse<String> get(String pathAndQuery) {
    return send(request(pathAndQuery).GET().build());
  }

  /** {@code POST <uri><path>} with a JSON body (as admin on a {@link #basicAuth} server). */
  public HttpResponse<String> postJson(String path, String json) {
    return send(request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build());
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  /** The server's combined stdout and stderr so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the server and every process it started; waits for them to exit. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : tree) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        handle.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        handle.destroyForcibly();
      }
    }
  }

  private void awaitHealthy(List<String> command) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    HttpRequest health = HttpRequest.newBuilder(uri.resolve("/health")).timeout(Duration.ofSeconds(5)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("mlflow server exited with " + process.exitValue() + " before answering /health: "
            + command + "\n--- log ---\n" + log());
      }
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the mlflow server", e);
      }
      try {
        // Waits for the poll interval, or less if the server dies meanwhile.
        process.onExit().get(250, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // still running: poll again
      } catch (ExecutionException e) {
        throw new AssertionError(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the mlflow server", e);
      }
    }
    throw new AssertionError("mlflow server did not answer GET /health with 200 within " + STARTUP_TIMEOUT + ": "
        + command + "\n--- log ---\n" + log());
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("request " + request + " to the mlflow server failed; log:\n" + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during " + request, e);
    }
  }

  /** A free port of 127.0.0.1 (free when asked). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free local port", e);
    }
  }
}
