package dev.tessera.runners.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.stages.testing.LocalProcesses;
import dev.tessera.stages.testing.PipDistribution;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker/compose.yaml} with {@code docker/compose.local.yaml}, run by podman-compose as docker/README.md
 * shows: the MLflow server (SQLite, serving artifacts; {@code docker/Dockerfile.mlflow}), a Flink session cluster
 * of a JobManager and two TaskManagers (containers of the Tessera image running Flink 1.19 from PyPI's
 * {@code apache-flink-libraries} with {@code docker/flink-standalone.sh}), then the CLI service, which runs a
 * limited {@code mnist-lenet} on that cluster and logs it to that server. Checked from the host through the
 * services' REST APIs: every Flink job FINISHED on the session cluster, both TaskManagers registered, and the
 * MLflow server holds the FINISHED run with its parameters and the metrics the CLI printed. Everything the stack
 * created (containers, the MLflow volume) is removed at the end, also when a check fails. The images are those
 * of {@link Podman}, built once per test JVM ({@link ContainerImageIT} uses the same CPU image); needs
 * {@code TESSERA_DATA_MIRROR}.
 */
class ComposeStackIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  @TempDir Path dir;

  @Test
  void mnistLenetRunsOnTheComposeFlinkClusterAndLogsToTheComposeMlflowServer() throws IOException {
    Path data = DataMirror.withMnist();
    Podman podman = Podman.get();
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx")); // the containers' uid 1000
    int mlflowPort = LocalProcesses.freePort();
    int flinkPort = LocalProcesses.freePort();
    Map<String, String> env = new HashMap<>(podman.env());
    env.putAll(Map.of("TESSERA_IMAGE", podman.tesseraImage(), "MLFLOW_IMAGE", podman.mlflowImage(),
        "FLINK_HOME", PipDistribution.install("apache-flink-libraries", "1.19.3").resolve("pyflink").toString(),
        "TESSERA_WORK", work.toString(), "TESSERA_DATA_MIRROR", data.toString(),
        "MLFLOW_PORT", String.valueOf(mlflowPort), "FLINK_REST_PORT", String.valueOf(flinkPort),
        "FLINK_RPC_PORT", String.valueOf(LocalProcesses.freePort()),
        "FLINK_BLOB_PORT", String.valueOf(LocalProcesses.freePort())));
    PythonEnv tools = PythonEnv.of("python/docker-requirements.txt");
    env.put("PATH", tools.home().resolve("bin") + ":" + System.getenv("PATH"));
    String project = "tessera-it-" + ProcessHandle.current().pid();
    List<String> compose = List.of(tools.bin("podman-compose").toString(),
        "--podman-args=--runtime " + podman.setting("PODMAN_RUNTIME"), "-p", project, "--profile", "cli",
        "-f", Podman.ROOT.resolve("docker/compose.yaml").toString(),
        "-f", Podman.ROOT.resolve("docker/compose.local.yaml").toString());
    String mlflow = "http://127.0.0.1:" + mlflowPort;
    String flink = "http://127.0.0.1:" + flinkPort;
    try {
      run(compose, env, Duration.ofMinutes(2), "up", "-d", "mlflow", "flink-jobmanager", "flink-taskmanager");
      await(podman, project, "the MLflow server answering /health", () -> get(mlflow + "/health"),
          body -> body.strip().equals("OK"));
      await(podman, project, "two TaskManagers registered at the JobManager", () -> get(flink + "/overview"),
          body -> json(body).path("taskmanagers").asInt() == 2);

      String out = run(compose, env, Duration.ofMinutes(6), "run", "--rm", "--no-deps", "tessera");
      List<String> rows = RunSummary.stageLines(out);
      assertEquals(List.of("ingest succeeded", "preprocess succeeded", "train succeeded", "evaluate succeeded"),
          rows.stream().map(r -> String.join(" ", List.of(r.split(" ")).subList(0, 2))).toList(), out);

      JsonNode jobs = json(get(flink + "/jobs/overview").orElseThrow()).path("jobs");
      List<String> states = new ArrayList<>();
      jobs.forEach(job -> states.add(job.path("state").asText()));
      assertEquals(List.of("FINISHED", "FINISHED", "FINISHED"), states,
          "ingest, preprocess and evaluate ran as jobs of the session cluster, each FINISHED: " + jobs);
      assertEquals(2, json(get(flink + "/taskmanagers").orElseThrow()).path("taskmanagers").size(),
          "both TaskManagers registered");

      Matcher tracked = Pattern.compile("MLflow run: ([0-9a-f]{32}) ").matcher(out);
      assertTrue(tracked.find(), "the CLI names its MLflow run:\n" + out);
      JsonNode run = json(get(mlflow + "/api/2.0/mlflow/runs/get?run_id=" + tracked.group(1)).orElseThrow())
          .path("run");
      assertEquals("FINISHED", run.at("/info/status").asText(), run.toString());
      assertTrue(run.at("/info/artifact_uri").asText().startsWith("mlflow-artifacts:/"), run.toString());
      Map<String, String> params = new TreeMap<>();
      run.at("/data/params").forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
      assertEquals("200", params.get("ingest.limit"), params.toString());
      assertEquals("1", params.get("train.epochs"), params.toString());
      Map<String, Double> metrics = new TreeMap<>();
      run.at("/data/metrics").forEach(m -> metrics.put(m.path("key").asText(), m.path("value").asDouble()));
      assertTrue(metrics.containsKey("train/loss"), metrics.toString());
      Matcher accuracy = Pattern.compile("accuracy=([0-9.]+)").matcher(rows.get(3));
      assertTrue(accuracy.find(), "the evaluate row shows the accuracy: " + rows.get(3));
      assertEquals(Double.parseDouble(accuracy.group(1)), metrics.get("evaluate/accuracy"), 5e-4,
          "the server holds the accuracy the CLI printed: " + metrics);
    } finally {
      tearDown(podman, compose, env, project);
    }
    assertEquals(List.of(), containers(podman, project), "down removed every container of the stack");
  }

  private static String run(List<String> compose, Map<String, String> env, Duration timeout, String... args) {
    List<String> command = new ArrayList<>(compose);
    command.addAll(List.of(args));
    return PythonEnv.exec(command, env, timeout);
  }

  /**
   * Polls {@code probe} until its answer passes {@code ready}; fails after {@link #START_TIMEOUT} with the logs of
   * the project's containers. A readiness wait: podman 4.3 cannot wait for a health status, and compose's
   * {@code depends_on} does not wait for a Flink TaskManager's registration.
   */
  private static void await(Podman podman, String project, String what, Supplier<Optional<String>> probe,
      Predicate<String> ready) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> answer = probe.get();
      if (answer.isPresent() && ready.test(answer.get())) {
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
    throw new AssertionError("no " + what + " within " + START_TIMEOUT + "; the containers' logs:\n"
        + logs(podman, project));
  }

  /** The body of a GET answered 200, or empty when the service does not answer (yet) or answers otherwise. */
  private static Optional<String> get(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException notYet) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during GET " + url, e);
    }
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  /** The last lines each container of the project logged, for a failure message. */
  private static String logs(Podman podman, String project) {
    StringBuilder logs = new StringBuilder();
    for (String name : containers(podman, project)) {
      logs.append("--- ").append(name).append(" ---\n").append(podman.logs(name, 40));
    }
    return logs.toString();
  }

  private static List<String> containers(Podman podman, String project) {
    return podman.run(Duration.ofSeconds(30), "ps", "--all",
        "--filter", "label=io.podman.compose.project=" + project, "--format", "{{.Names}}")
        .lines().filter(l -> !l.isBlank()).toList();
  }

  /**
   * {@code down --volumes}, then removes whatever of the project is left (the CLI container of a {@code run} that
   * timed out, or everything when {@code down} itself failed), so the machine keeps no container or volume of this
   * test. Never throws: a failure here must not hide the test's own.
   */
  private static void tearDown(Podman podman, List<String> compose, Map<String, String> env, String project) {
    try {
      run(compose, env, Duration.ofMinutes(2), "down", "--volumes");
    } catch (AssertionError e) {
      System.err.println("podman-compose down failed; removing the project's containers with podman: " + e);
    }
    try {
      List<String> left = containers(podman, project);
      if (!left.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of("rm", "--force", "--volumes"));
        rm.addAll(left);
        podman.run(Duration.ofMinutes(1), rm.toArray(String[]::new));
      }
      String volumes = podman.run(Duration.ofSeconds(30), "volume", "ls", "--quiet",
          "--filter", "label=io.podman.compose.project=" + project);
      for (String volume : volumes.lines().filter(l -> !l.isBlank()).toList()) {
        podman.run(Duration.ofSeconds(30), "volume", "rm", "--force", volume);
      }
    } catch (AssertionError e) {
      System.err.println("could not remove what is left of the compose project " + project + ": " + e);
    }
  }
}
