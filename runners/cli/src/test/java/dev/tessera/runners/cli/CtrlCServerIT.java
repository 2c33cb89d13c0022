package dev.tessera.runners.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunRecord;
import dev.tessera.pipelines.exec.RunStore;
import dev.tessera.pipelines.exec.StageStatus;
import dev.tessera.pipelines.testing.MlflowServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C against a real MLflow server: {@code tessera run demo} in its own JVM gets SIGINT while a stage runs;
 * the process exits with 130, the server's run is KILLED with its params, tags and spec.json, and the spool is
 * delivered and removed.
 */
class CtrlCServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void sigintEndsTheServerRunAsKilledAndDeliversTheSpool() throws Exception {
    Path home = dir.resolve("home");
    try (MlflowServer server = MlflowServer.sqlite(dir.resolve("mlflow.db"), dir.resolve("artifacts"))) {
      // A background job of a non-interactive shell starts with SIGINT ignored, and a child inherits that (the JVM
      // then installs no handler): python3 sets it back to the default before it becomes the CLI's JVM.
      ProcessBuilder builder = new ProcessBuilder("python3", "-c", "import os, signal, sys; "
          + "signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), Main.class.getName(),
          "run", "demo", "--plain", "--tracking-uri", server.uri().toString(),
          "--set", "numbers.millisPerItem=0", "--set", "squares.millisPerItem=200",
          "--set", "cubes.millisPerItem=200")
          .redirectErrorStream(true);
      builder.environment().put("TESSERA_HOME", home.toString());
      builder.environment().remove("MLFLOW_TRACKING_URI");
      Process process = builder.start();
      StringBuilder output = new StringBuilder();
      CountDownLatch squaresRunning = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line; (line = lines.readLine()) != null; ) {
            synchronized (output) {
              output.append(line).append('\n');
            }
            if (line.contains("squares 1/100")) {
              squaresRunning.countDown();
            }
          }
        } catch (java.io.IOException e) {
          // the process is gone
        }
      }, "tessera-output");
      reader.start();
      try {
        assertTrue(squaresRunning.await(120, TimeUnit.SECONDS), "squares never started:\n" + output);
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "tessera did not exit after SIGINT:\n" + output);
      } finally {
        process.destroyForcibly();
      }
      reader.join(10_000);
      assertEquals(Main.CANCELLED, process.exitValue(), output.toString());

      RunRecord record = new RunStore(home).latest("demo").orElseThrow();
      assertEquals(RunOutcome.CANCELLED, record.status, output.toString());
      assertEquals(StageStatus.SUCCEEDED, record.stages.get("numbers").status);
      assertEquals(StageStatus.CANCELLED, record.stages.get("squares").status);

      JsonNode run = JSON.readTree(server.get("/api/2.0/mlflow/runs/get?run_id=" + record.trackedRunId).body())
          .get("run");
      assertEquals("KILLED", run.at("/info/status").asText(), run.toString());
      assertTrue(run.at("/info/end_time").asLong() > 0);
      Map<String, String> params = new TreeMap<>();
      run.at("/data/params").forEach(p -> params.put(p.get("key").asText(), p.get("value").asText()));
      assertEquals(record.params, params);
      assertEquals("200", params.get("squares.millisPerItem"));
      String artifacts = server.get("/api/2.0/mlflow/artifacts/list?run_id=" + record.trackedRunId).body();
      assertTrue(artifacts.contains("spec.json"), artifacts);
      try (var spool = Files.list(home.resolve("spool"))) {
        assertEquals(List.of(), spool.toList(), "the spool was delivered and removed");
      }
    }
  }
}
