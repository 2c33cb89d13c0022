package dev.tessera.pipelines.datasets.internal;

import dev.tessera.pipelines.artifact.Digests;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Copies a stream into a cache file only if its (uncompressed) SHA-256 matches: the bytes go to a hidden temporary
 * file beside the target, which is renamed atomically after the check and deleted otherwise, so the cache never
 * shows a partial or wrong file.
 */
public final class VerifiedCopy {
  private static final int MAX_REDIRECTS = 5;

  private final boolean showProgress;
  private final dev.tessera.pipelines.datasets.CopyProgress listener;

  public VerifiedCopy(boolean showProgress) {
    this(showProgress, null);
  }

  /** Also reports progress to {@code listener} (may be null). */
  public VerifiedCopy(boolean showProgress, dev.tessera.pipelines.datasets.CopyProgress listener) {
    this.showProgress = showProgress;
    this.listener = listener;
  }

  /** A source's SHA-256 differs from the catalog's. */
  public static final class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(String message) {
      super(message);
    }
  }

  /**
   * Copies {@code source} (gzip is detected from its first bytes and decompressed) to {@code target} if its
   * uncompressed SHA-256 is {@code sha256}; {@code origin} names the source in errors, {@code length} is its size
   * for the progress bar (-1 if unknown).
   */
  public void install(InputStream source, long length, Path target, String sha256, String origin)
      throws IOException {
    String name = target.getFileName().toString();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + name + ".", ".part");
    try {
      MessageDigest digest = Digests.sha256();
      InputStream reported = listener == null ? source : new ReportingStream(source, name, length, listener);
      try (InputStream counted = showProgress ? ProgressBar.wrap(reported, progress(name, length)) : reported;
          InputStream in = decompressIfGzip(new BufferedInputStream(counted, 1 << 16));
          OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
        in.transferTo(out);
      } catch (java.util.zip.ZipException | java.io.EOFException e) {
        throw new IOException("corrupt or truncated gzip data (" + e.getMessage() + ")", e);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(sha256)) {
        throw new ChecksumMismatchException("checksum mismatch for " + name + ": expected sha256 " + sha256
            + ", got " + actual + " (from " + origin + "); the file was rejected");
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Copies a local file with {@link #install}. */
  public void installFile(Path source, Path target, String sha256) throws IOException {
    try (InputStream in = Files.newInputStream(source)) {
      install(in, Files.size(source), target, sha256, source.toString());
    }
  }

  /** Downloads {@code uri} (following up to 5 redirects, also http to https) with {@link #install}. */
  public void download(URI uri, Path target, String sha256, Duration connectTimeout, Duration readTimeout)
      throws IOException {
    fetch(uri, connectTimeout, readTimeout, (in, length, origin) -> install(in, length, target, sha256, origin));
  }

  /**
   * Downloads {@code uri} as it is (no decompression, no check) into {@code file}, with the same progress bar and
   * listener as {@link #install}; returns the SHA-256 of the bytes. The caller owns {@code file}.
   */
  public String downloadFile(URI uri, Path file, String name, Duration connectTimeout, Duration readTimeout)
      throws IOException {
    MessageDigest digest = Digests.sha256();
    fetch(uri, connectTimeout, readTimeout, (source, length, origin) -> {
      InputStream reported = listener == null ? source : new ReportingStream(source, name, length, listener);
      try (InputStream in = showProgress ? ProgressBar.wrap(reported, progress(name, length)) : reported;
          OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
        in.transferTo(out);
      }
    });
    return HexFormat.of().formatHex(digest.digest());
  }

  /** What to do with a response body: its stream, its length (-1 if unknown) and the final URL. */
  @FunctionalInterface
  private interface Body {
    void accept(InputStream in, long length, String origin) throws IOException;
  }

  private static void fetch(URI uri, Duration connectTimeout, Duration readTimeout, Body body) throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpURLConnection connection = (HttpURLConnection) current.toURL().openConnection();
      connection.setConnectTimeout((int) connectTimeout.toMillis());
      connection.setReadTimeout((int) readTimeout.toMillis());
      connection.setInstanceFollowRedirects(false);
      connection.setRequestProperty("User-Agent", "tessera-dataset-catalog");
      try {
        int status = connection.getResponseCode();
        if (status >= 300 && status < 400 && connection.getHeaderField("Location") != null) {
          current = current.resolve(connection.getHeaderField("Location"));
          continue;
        }
        if (status != HttpURLConnection.HTTP_OK) {
          throw new IOException("HTTP " + status + " " + connection.getResponseMessage());
        }
        try (InputStream in = connection.getInputStream()) {
          body.accept(in, connection.getContentLengthLong(), current.toString());
        }
        return;
      } finally {
        connection.disconnect();
      }
    }
    throw new IOException("more than " + MAX_REDIRECTS + " redirects, last to " + current);
  }

  /** The SHA-256 of a file, or {@code null} if it is not a regular file. */
  public static String sha256OrNull(Path file) throws IOException {
    return Files.isRegularFile(file) ? Digests.sha256Hex(file) : null;
  }

  private static InputStream decompressIfGzip(BufferedInputStream in) throws IOException {
    in.mark(2);
    boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
    in.reset();
    return gzip ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** Counts bytes and reports them every 256 KiB and at the end. */
  private static final class ReportingStream extends java.io.FilterInputStream {
    private final String name;
    private final long length;
    private final dev.tessera.pipelines.datasets.CopyProgress listener;
    private long done;
    private long reported;

    ReportingStream(InputStream in, String name, long length, dev.tessera.pipelines.datasets.CopyProgress listener) {
      super(in);
      this.name = name;
      this.length = length;
      this.listener = listener;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? -1 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int len) throws IOException {
      int n = super.read(buffer, offset, len);
      count(n);
      return n;
    }

    private void count(int n) {
      if (n > 0) {
        done += n;
      }
      if (n < 0 || done - reported >= 1 << 18) {
        reported = done;
        listener.update(name, done, length);
      }
    }
  }

  private static ProgressBarBuilder progress(String name, long length) {
    return new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(length)
        .setUnit(" MiB", 1 << 20)
        .showSpeed()
        .setUpdateIntervalMillis(250);
  }
}
