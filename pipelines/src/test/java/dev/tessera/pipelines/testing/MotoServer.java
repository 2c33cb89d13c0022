package dev.tessera.pipelines.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server on 127.0.0.1 for tests: moto in server mode ({@code moto_server}, installed from
 * {@code python/s3-requirements.txt} by {@link PythonEnv#of}), its buckets in memory, stopped by {@link #close()}.
 *
 * <pre>{@code
 * try (MotoServer s3 = MotoServer.start(tmp)) {
 *   s3.createBucket("artifacts");
 *   List<String> args = s3.pipelineArgs();   // --endpoint, --awsRegion, credentials for Beam's S3 file system
 * }
 * }</pre>
 *
 * <p>{@link #withAuthentication} starts one that checks every request's key, and knows no key: each request fails
 * with {@code InvalidAccessKeyId}, as AWS answers a key it does not know.
 */
public final class MotoServer implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** A server that accepts any credentials. */
  public static MotoServer start(Path dir) {
    return start(dir, Map.of());
  }

  /** A server that authenticates requests and knows no access key, so every request is refused. */
  public static MotoServer withAuthentication(Path dir) {
    return start(dir, Map.of("INITIAL_NO_AUTH_ACTION_COUNT", "0"));
  }

  private static MotoServer start(Path dir, Map<String, String> env) {
    PythonEnv python = PythonEnv.of("python/s3-requirements.txt");
    int port = MlflowServer.freePort();
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve("moto-" + port + ".log");
      ProcessBuilder builder = new ProcessBuilder(python.bin("moto_server").toString(), "-H", "127.0.0.1", "-p",
          Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      MotoServer server = new MotoServer(builder.start(), port, log);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start moto_server in " + dir, e);
    }
  }

  /** The server's address, the value of Beam's {@code --endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Beam arguments that point its S3 file system at this server: the endpoint, a region, and a fixed test key
   * (which {@link #withAuthentication} servers refuse).
   */
  public List<String> pipelineArgs() {
    return List.of("--endpoint=" + endpoint(), "--awsRegion=us-east-1",
        "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"testing\","
            + "\"secretAccessKey\":\"testing\"}");
  }

  /** Creates a bucket ({@code PUT /<name>}). */
  public void createBucket(String name) {
    HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(endpoint() + "/" + name))
        .PUT(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("creating bucket " + name + " answered " + response.statusCode() + ": "
            + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while creating bucket " + name, e);
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("moto_server exited with " + process.exitValue() + "; its log:\n"
            + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          process.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for moto_server", e);
        }
      }
    }
    close();
    throw new AssertionError("moto_server did not listen on port " + port + " within " + STARTUP_TIMEOUT
        + "; its log:\n" + Files.readString(log));
  }
}
