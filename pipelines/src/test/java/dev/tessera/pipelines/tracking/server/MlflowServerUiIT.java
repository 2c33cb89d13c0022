package dev.tessera.pipelines.tracking.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.pipelines.testing.Chromium;
import dev.tessera.pipelines.testing.MlflowServer;
import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import dev.tessera.pipelines.tracking.mlflow.SystemTags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of a shared server sees: a run that {@link ServerTracker} logged to a real MLflow server (sqlite
 * backend, {@code --serve-artifacts}), opened in the server's UI in headless Chromium. The runs table lists the
 * run, the metrics page charts its loss, and the Artifacts tab shows the {@code MLmodel} directory as an MLflow
 * model. Screenshots are kept in {@code target/ui-screenshots/server-*.png}.
 */
class MlflowServerUiIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  @Test
  void serverUiListsTheRunChartsItsLossAndShowsTheModelArtifact() throws Exception {
    Path model = Files.createDirectories(dir.resolve("model"));
    Files.writeString(model.resolve("MLmodel"), "artifact_path: model\nflavors:\n  djl:\n    engine: 'PyTorch'\n"
        + "    model_file: 'lenet-0001.params'\nmodel_uuid: 'ui-check-model'\n");
    Files.writeString(model.resolve("lenet-0001.params"), "not really weights");
    Path shots = Path.of("target/ui-screenshots");
    try (MlflowServer server = MlflowServer.sqlite(dir.resolve("mlflow.db"), dir.resolve("artifacts"));
        ServerTracker tracker = ServerTracker.connect(ServerSettings.of(server.uri(), Credentials.none(),
            dir.resolve("spool")))) {
      TrackedRun run = tracker.startRun("ui-server", "ui-server-run-7",
          SystemTags.of("ui-server-run-7", "tessera run ui-server", dir));
      run.logParams(Map.of("train.epochs", "3", "train.learningRate", "0.001"));
      long now = System.currentTimeMillis();
      for (int step = 0; step < 20; step++) {
        run.logMetric("train/loss", 2.3 / (1 + step), step, now + step);
      }
      run.logMetric("evaluate/accuracy", 0.9917, 0, now);
      run.logArtifact(model, "train/model");
      TrackedRun trial = run.startChild("ui-trial-0", Map.of());
      trial.logMetric("loss", 0.5, 1, now);
      trial.end(RunStatus.FINISHED);
      run.end(RunStatus.FINISHED);
      String experiment = tracker.experimentId("ui-server");

      try (Chromium browser = Chromium.start(1400, 1100)) {
        String base = server.uri().toString().replaceAll("/$", "");
        browser.open(base + "/#/experiments/" + experiment + "/runs");
        String runsDom = browser.waitFor(dom -> dom.contains("ui-server-run-7"), WAIT, "the run in the runs table");
        browser.screenshot(shots.resolve("server-runs-table.png"));
        Files.writeString(shots.resolve("server-runs-table.html"), runsDom);

        browser.open(base + "/#/experiments/" + experiment + "/runs/" + run.id() + "/model-metrics");
        browser.waitFor(dom -> dom.contains(">loss<") && dom.split("main-svg", -1).length > 2, WAIT,
            "a chart of train/loss");
        browser.screenshot(shots.resolve("server-run-metrics.png"));

        browser.open(base + "/#/experiments/" + experiment + "/runs/" + run.id() + "/artifacts/train/model");
        String artifactsDom = browser.waitFor(dom -> dom.contains("MLmodel") && dom.contains("lenet-0001.params")
            && (dom.contains("MLflow Model") || dom.contains("Register model")), WAIT,
            "the model directory shown as an MLflow model in the Artifacts tab");
        browser.screenshot(shots.resolve("server-run-artifacts.png"));
        Files.writeString(shots.resolve("server-run-artifacts.html"), artifactsDom);
      }
    }
    assertTrue(Files.size(shots.resolve("server-run-artifacts.png")) > 10_000, "a real screenshot was saved");
  }
}
