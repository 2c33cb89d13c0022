package dev.tessera.pipelines.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real headless Chromium driven through ChromeDriver's W3C WebDriver protocol (plain HTTP and JSON), for UI
 * tests: open a page, wait until its DOM satisfies a condition, take a screenshot.
 *
 * <p>Installs Debian's {@code chromium} and {@code chromium-driver} packages when they are missing and the test
 * runs as root with apt-get; otherwise the calling test is skipped with that reason. Chromium starts with a fresh
 * profile and without background networking, component updates or sync, so it talks only to the page's server.
 */
public final class Chromium implements AutoCloseable {
  private static final Path BROWSER = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process driver;
  private final URI base;
  private final String session;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Chromium(Process driver, URI base, String session) {
    this.driver = driver;
    this.base = base;
    this.session = session;
  }

  /** Makes sure Chromium and ChromeDriver are installed, installing them with apt-get if needed and possible. */
  public static synchronized void ensureInstalled() {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    assumeTrue(root && Files.isExecutable(Path.of("/usr/bin/apt-get")),
        "Chromium is not installed and cannot be installed here (needs root and apt-get): "
            + "apt-get install chromium chromium-driver");
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    PythonEnv.exec(List.of("apt-get", "update", "-qq"), env, Duration.ofMinutes(10));
    PythonEnv.exec(List.of("apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"), env,
        Duration.ofMinutes(20));
  }

  /** Starts ChromeDriver and a headless browser window of the given size. */
  public static Chromium start(int width, int height) throws Exception {
    ensureInstalled();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("chromedriver", ".log");
    Process driver = new ProcessBuilder(DRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        HttpResponse<String> status = client.send(HttpRequest.newBuilder(base.resolve("/status")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (status.statusCode() == 200 && JSON.readTree(status.body()).path("value").path("ready").asBoolean()) {
          break;
        }
      } catch (IOException notYet) {
        // ChromeDriver is still starting.
      }
      if (System.nanoTime() > deadline || !driver.isAlive()) {
        driver.destroyForcibly();
        throw new AssertionError("ChromeDriver did not start:\n" + Files.readString(log));
      }
      Thread.sleep(100); // polling a starting process
    }
    ObjectNode options = JSON.createObjectNode();
    options.put("binary", BROWSER.toString());
    options.putPOJO("args", List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=" + width + "," + height,
        "--user-data-dir=" + Files.createTempDirectory("chromium-profile")));
    ObjectNode capabilities = JSON.createObjectNode();
    capabilities.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
        .set("goog:chromeOptions", options);
    JsonNode created = call(client, "POST", base.resolve("/session"), capabilities);
    return new Chromium(driver, base, created.path("value").path("sessionId").asText());
  }

  /** Opens a page. */
  public void open(String url) throws Exception {
    call("POST", "/url", JSON.createObjectNode().put("url", url));
  }

  /** The page's current DOM as HTML. */
  public String source() throws Exception {
    return call("GET", "/source", null).path("value").asText();
  }

  /**
   * Waits until the DOM satisfies {@code condition} and returns it; fails with the last DOM's visible text after
   * {@code timeout}.
   */
  public String waitFor(Predicate<String> condition, Duration timeout, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String dom = source();
    while (!condition.test(dom)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; the page shows: "
            + dom.replaceAll("(?s)<script.*?</script>|<style.*?</style>", "").replaceAll("<[^>]+>", " ")
                .replaceAll("\\s+", " ").strip());
      }
      Thread.sleep(250); // polling the page while it renders
      dom = source();
    }
    return dom;
  }

  /** Saves a PNG screenshot of the window. */
  public void screenshot(Path png) throws Exception {
    String data = call("GET", "/screenshot", null).path("value").asText();
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(data));
  }

  @Override
  public void close() {
    try {
      call("DELETE", "", null);
    } catch (Exception e) {
      // The driver is stopped below either way.
    }
    driver.destroy();
  }

  private JsonNode call(String method, String path, JsonNode body) throws Exception {
    return call(http, method, base.resolve("/session/" + session + path), body);
  }

  private static JsonNode call(HttpClient client, String method, URI uri, JsonNode body) throws Exception {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").method(method, publisher).build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    if (response.statusCode() >= 400) {
      throw new AssertionError("WebDriver " + method + " " + uri + " failed: " + response.statusCode() + " "
          + json.path("value").path("message").asText(response.body()));
    }
    return json;
  }
}
