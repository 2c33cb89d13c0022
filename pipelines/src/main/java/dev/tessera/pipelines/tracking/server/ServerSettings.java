package dev.tessera.pipelines.tracking.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach an MLflow server and how to spool for it.
 *
 * @param uri the tracking URI, {@code http(s)://host[:port][/prefix]}, without user info
 * @param credentials token, user/password or none
 * @param connectTimeout for every connection
 * @param requestTimeout for every request, from sending to the last byte of the answer
 * @param maxAttempts attempts of one synchronous call (start-up checks, artifact uploads by {@code sync})
 * @param initialBackoff the first wait after a connection error, 5xx or 429; doubled after each failure
 * @param maxBackoff the longest wait between attempts (also while the background sender waits out an outage)
 * @param spoolDirectory where the per-run journals live ({@code $TESSERA_HOME/spool})
 * @param fsyncInterval the longest time a journaled point stays un-fsynced (see {@link ServerRun})
 * @param endTimeout how long ending a run waits for the spool to drain before leaving it for a later flush
 * @param sendWindow how many metric-only {@code log-batch} requests of one run may be in flight at once, 1 to 16
 *     (acknowledged in journal order; see {@link ServerRun})
 */
public record ServerSettings(
    URI uri,
    Credentials credentials,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Path spoolDirectory,
    Duration fsyncInterval,
    Duration endTimeout,
    int sendWindow) {

  public ServerSettings {
    String scheme = uri == null ? null : uri.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("tracking URI must be http://host[:port] or https://host[:port], but was '"
          + uri + "'.");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("tracking URI must not contain a user name or password (it would end "
          + "up in logs); set " + Credentials.USERNAME_VARIABLE + " and " + Credentials.PASSWORD_VARIABLE
          + ", or " + Credentials.TOKEN_VARIABLE + ", instead.");
    }
    if (sendWindow < 1 || sendWindow > 16) {
      throw new IllegalArgumentException("sendWindow must be in [1, 16], but was " + sendWindow + ".");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + maxAttempts + ".");
    }
    String text = uri.toString();
    uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
  }

  /**
   * Defaults: connect 10 s, request 30 s, 4 attempts, backoff 250 ms doubling to 10 s, fsync every 1 s, ending a
   * run waits up to 60 s for the spool to drain, and up to {@value #DEFAULT_SEND_WINDOW} metric batches in flight.
   *
   * <pre>{@code
   * ServerSettings settings = ServerSettings.of(URI.create("http://127.0.0.1:5000"),
   *     Credentials.fromEnvironment(System.getenv()), home.resolve("spool"));
   * }</pre>
   */
  public static ServerSettings of(URI uri, Credentials credentials, Path spoolDirectory) {
    return new ServerSettings(uri, credentials, Duration.ofSeconds(10), Duration.ofSeconds(30), 4,
        Duration.ofMillis(250), Duration.ofSeconds(10), spoolDirectory, Duration.ofSeconds(1),
        Duration.ofSeconds(60), DEFAULT_SEND_WINDOW);
  }

  /** The default {@link #sendWindow()}. */
  public static final int DEFAULT_SEND_WINDOW = 4;

  public ServerSettings withSendWindow(int value) {
    return new ServerSettings(uri, credentials, connectTimeout, requestTimeout, maxAttempts, initialBackoff,
        maxBackoff, spoolDirectory, fsyncInterval, endTimeout, value);
  }

  public ServerSettings withRequestTimeout(Duration value) {
    return new ServerSettings(uri, credentials, connectTimeout, value, maxAttempts, initialBackoff, maxBackoff,
        spoolDirectory, fsyncInterval, endTimeout, sendWindow);
  }

  public ServerSettings withBackoff(Duration initial, Duration max) {
    return new ServerSettings(uri, credentials, connectTimeout, requestTimeout, maxAttempts, initial, max,
        spoolDirectory, fsyncInterval, endTimeout, sendWindow);
  }

  public ServerSettings withEndTimeout(Duration value) {
    return new ServerSettings(uri, credentials, connectTimeout, requestTimeout, maxAttempts, initialBackoff,
        maxBackoff, spoolDirectory, fsyncInterval, value, sendWindow);
  }

  public ServerSettings withCredentials(Credentials value) {
    return new ServerSettings(uri, value, connectTimeout, requestTimeout, maxAttempts, initialBackoff,
        maxBackoff, spoolDirectory, fsyncInterval, endTimeout, sendWindow);
  }

  public ServerSettings withUri(URI value) {
    return new ServerSettings(value, credentials, connectTimeout, requestTimeout, maxAttempts, initialBackoff,
        maxBackoff, spoolDirectory, fsyncInterval, endTimeout, sendWindow);
  }
}
