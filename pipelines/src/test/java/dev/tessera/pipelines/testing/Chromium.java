package dev.tessera.pipelines.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Headless Chromium for UI tests: renders a page (running its JavaScript for a virtual-time budget) and returns the
 * DOM, or saves a screenshot. Installs Debian's {@code chromium} and {@code chromium-driver} packages when they are
 * missing and the test runs as root with apt-get; otherwise the calling test is skipped with that reason.
 *
 * <p>Started with the flags that keep it off the network except for the page itself (no background networking,
 * component updates or sync) and with a fresh profile each time.
 */
public final class Chromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");
  private static volatile boolean checked;

  private Chromium() {}

  /** Makes sure Chromium is installed, installing it with apt-get if needed and possible. */
  public static synchronized void ensureInstalled() {
    if (checked && Files.isExecutable(BINARY)) {
      return;
    }
    if (!Files.isExecutable(BINARY)) {
      boolean root = "root".equals(System.getProperty("user.name"));
      assumeTrue(root && Files.isExecutable(Path.of("/usr/bin/apt-get")),
          "Chromium is not installed and cannot be installed here (needs root and apt-get): "
              + "apt-get install chromium chromium-driver");
      Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
      PythonEnv.exec(List.of("apt-get", "update", "-qq"), env, Duration.ofMinutes(10));
      PythonEnv.exec(List.of("apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"), env,
          Duration.ofMinutes(20));
    }
    checked = true;
  }

  /** The DOM after the page's scripts ran for {@code budget} of virtual time. */
  public static String dumpDom(String url, Duration budget) throws Exception {
    ensureInstalled();
    List<String> command = command(budget);
    command.add("--dump-dom");
    command.add(url);
    return PythonEnv.exec(command, Map.of(), Duration.ofMinutes(3));
  }

  /** Saves a screenshot of the page after {@code budget} of virtual time. */
  public static void screenshot(String url, Path png, int width, int height, Duration budget) throws Exception {
    ensureInstalled();
    Files.createDirectories(png.toAbsolutePath().getParent());
    List<String> command = command(budget);
    command.add("--window-size=" + width + "," + height);
    command.add("--screenshot=" + png.toAbsolutePath());
    command.add(url);
    PythonEnv.exec(command, Map.of(), Duration.ofMinutes(3));
  }

  private static List<String> command(Duration budget) throws Exception {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"),
        "--virtual-time-budget=" + budget.toMillis()));
    return command;
  }
}
