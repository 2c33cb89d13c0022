package dev.tessera.pipelines.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.testing.Chromium;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees: a run that Tessera logged, opened in the real MLflow UI in headless Chromium. The runs table
 * lists the run by name, and the run's metrics page draws a chart of its loss. Screenshots are kept in
 * {@code target/ui-screenshots/} for people to look at.
 */
class MlflowUiIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  @Test
  void runsTableListsTheRunAndTheRunPageChartsItsMetrics() throws Exception {
    FileStoreTracker tracker = FileStoreTracker.at(dir.resolve("mlruns"));
    TrackedRun run = tracker.startRun("ui-check", "ui-run-42",
        SystemTags.of("ui-run-42", "tessera run ui-check", dir));
    run.logParams(Map.of("train.epochs", "3", "train.learningRate", "0.001"));
    long now = System.currentTimeMillis();
    for (int step = 0; step < 20; step++) {
      run.logMetric("train/loss", 2.3 / (1 + step), step, now + step);
    }
    run.logMetric("evaluate/accuracy", 0.9917, 0, now);
    run.end(RunStatus.FINISHED);
    String experiment = tracker.experimentId("ui-check").orElseThrow();

    Path shots = Path.of("target/ui-screenshots");
    try (MlflowServer server = MlflowServer.fileStore(dir.resolve("mlruns"));
        Chromium browser = Chromium.start(1400, 1100)) {
      String base = server.uri().toString().replaceAll("/$", "");
      browser.open(base + "/#/experiments/" + experiment + "/runs");
      String runsDom = browser.waitFor(dom -> dom.contains("ui-run-42"), WAIT, "the run in the runs table");
      browser.screenshot(shots.resolve("runs-table.png"));
      Files.writeString(shots.resolve("runs-table.html"), runsDom);
      assertTrue(runsDom.contains("Training runs"), "the model-training runs view, not GenAI traces");

      // The metrics page groups charts by the key's prefix (group "train", chart "loss") and draws Plotly SVGs.
      browser.open(base + "/#/experiments/" + experiment + "/runs/" + run.id() + "/model-metrics");
      String metricsDom = browser.waitFor(dom -> dom.contains(">loss<") && dom.contains(">accuracy<")
          && dom.split("main-svg", -1).length > 2, WAIT, "charts of loss and accuracy");
      browser.screenshot(shots.resolve("run-metrics.png"));
      Files.writeString(shots.resolve("run-metrics.html"), metricsDom);
      assertTrue(metricsDom.contains("ui-run-42"), "the run page is the run's");
    }
    assertTrue(Files.size(shots.resolve("runs-table.png")) > 10_000, "a real screenshot was saved");
  }
}
