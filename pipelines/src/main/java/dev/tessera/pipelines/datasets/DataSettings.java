package dev.tessera.pipelines.datasets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the {@link DatasetCatalog} keeps and finds data: read from the environment once, at the edge of the
 * program, and passed in (tests build their own).
 *
 * @param cacheRoot the cache; dataset {@code name} lives in {@code cacheRoot/name/}
 * @param mirror an offline mirror holding {@code name/<file>.gz} or {@code name/<file>}, or {@code null}
 * @param connectTimeout HTTP connect timeout for upstream downloads
 * @param readTimeout HTTP timeout between two reads of a download
 * @param showProgress whether to draw a progress bar on the console while copying or downloading
 * @param offline never download from upstream (tests and air-gapped machines): only the cache and the mirror
 */
public record DataSettings(
    Path cacheRoot, Path mirror, Duration connectTimeout, Duration readTimeout, boolean showProgress,
    boolean offline) {
  /** Environment variable naming the cache directory. */
  public static final String CACHE_ENV = "TESSERA_DATA_CACHE";
  /** Environment variable naming the offline mirror directory. */
  public static final String MIRROR_ENV = "TESSERA_DATA_MIRROR";
  /** Environment variable that, set to {@code true} or {@code 1}, forbids upstream downloads. */
  public static final String OFFLINE_ENV = "TESSERA_DATA_OFFLINE";

  public DataSettings {
    Objects.requireNonNull(cacheRoot, "data.cacheRoot");
    Objects.requireNonNull(connectTimeout, "data.connectTimeout");
    Objects.requireNonNull(readTimeout, "data.readTimeout");
    cacheRoot = cacheRoot.toAbsolutePath();
    mirror = mirror == null ? null : mirror.toAbsolutePath();
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("data.connectTimeout and data.readTimeout must be positive, but were "
          + connectTimeout + " and " + readTimeout);
    }
  }

  /**
   * Settings from environment variables: {@code TESSERA_DATA_CACHE} (default {@code <home>/.cache/tessera/datasets})
   * and {@code TESSERA_DATA_MIRROR} (none by default; relative paths are taken from the working directory);
   * timeouts of 30 s and 60 s; a progress bar.
   */
  public static DataSettings fromEnvironment(Map<String, String> env, Path userHome) {
    String cache = env.get(CACHE_ENV);
    String mirror = env.get(MIRROR_ENV);
    return new DataSettings(
        cache == null || cache.isBlank() ? userHome.resolve(".cache/tessera/datasets") : Path.of(cache),
        mirror == null || mirror.isBlank() ? null : Path.of(mirror),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        true,
        "true".equalsIgnoreCase(env.get(OFFLINE_ENV)) || "1".equals(env.get(OFFLINE_ENV)));
  }

  /** {@link #fromEnvironment} of this process's environment and home directory. */
  public static DataSettings fromSystem() {
    return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  public DataSettings withMirror(Path newMirror) {
    return new DataSettings(cacheRoot, newMirror, connectTimeout, readTimeout, showProgress, offline);
  }

  public DataSettings withCacheRoot(Path newCacheRoot) {
    return new DataSettings(newCacheRoot, mirror, connectTimeout, readTimeout, showProgress, offline);
  }

  public DataSettings withTimeouts(Duration connect, Duration read) {
    return new DataSettings(cacheRoot, mirror, connect, read, showProgress, offline);
  }

  public DataSettings withOffline(boolean value) {
    return new DataSettings(cacheRoot, mirror, connectTimeout, readTimeout, showProgress, value);
  }

  public DataSettings withProgress(boolean show) {
    return new DataSettings(cacheRoot, mirror, connectTimeout, readTimeout, show, offline);
  }
}
