package dev.tessera.pipelines.tracking.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.pipelines.tracking.RunStatus;
import dev.tessera.pipelines.tracking.TrackedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A minimal sweep in the file store: three trials nested under the parent, which carries the best trial's value. */
class FileStoreChildRunsTest {
  @TempDir Path tmp;

  @Test
  void childRunsPointAtTheirParentAndTheParentCarriesTheBestValue() throws Exception {
    FileStoreRun parent = FileStoreTracker.at(tmp.resolve("mlruns")).startRun("sweep", "sweep-1", Map.of());
    double[] accuracy = {0.91, 0.97, 0.94};
    List<TrackedRun> trials = new ArrayList<>();
    int best = 0;
    for (int i = 0; i < accuracy.length; i++) {
      TrackedRun trial = parent.startChild("trial-" + i, Map.of());
      trial.logMetric("evaluate/accuracy", accuracy[i], 0, 1);
      trial.end(RunStatus.FINISHED);
      trials.add(trial);
      best = accuracy[i] > accuracy[best] ? i : best;
    }
    parent.logMetric("evaluate/accuracy", accuracy[best], 0, 1);
    parent.end(RunStatus.FINISHED);

    List<StoredRun> runs = FileStoreReader.at(tmp.resolve("mlruns")).runs();
    assertEquals(4, runs.size());
    for (TrackedRun trial : trials) {
      StoredRun stored = runs.stream().filter(r -> r.runId().equals(trial.id())).findFirst().orElseThrow();
      assertEquals(parent.id(), stored.tags().get(SystemTags.PARENT_RUN_ID));
      assertEquals(parent.experimentId(), stored.experimentId());
    }
    assertEquals("1 0.97 0\n", Files.readString(parent.directory().resolve("metrics/evaluate/accuracy")));
  }

  @Test
  void aChildRunReopensWithWhatItLoggedForAResumedSweep() {
    FileStoreRun parent = FileStoreTracker.at(tmp.resolve("mlruns")).startRun("sweep", "sweep-1", Map.of());
    TrackedRun trial = parent.startChild("trial-0", Map.of());
    trial.logMetric("evaluate/accuracy", 0.5, 1, 1);
    trial.end(RunStatus.KILLED);

    TrackedRun reopened = parent.reopenChild(trial.id()).orElseThrow();
    assertEquals(trial.id(), reopened.id());
    StoredRun running = FileStoreReader.at(tmp.resolve("mlruns")).runs().stream()
        .filter(r -> r.runId().equals(trial.id())).findFirst().orElseThrow();
    assertEquals(RunStatus.RUNNING, running.status());
    reopened.logMetric("evaluate/accuracy", 0.7, 2, 2);
    reopened.end(RunStatus.FINISHED);
    StoredRun ended = FileStoreReader.at(tmp.resolve("mlruns")).runs().stream()
        .filter(r -> r.runId().equals(trial.id())).findFirst().orElseThrow();
    assertEquals(RunStatus.FINISHED, ended.status());
    assertEquals(List.of(1L, 2L), ended.metrics().get("evaluate/accuracy").stream()
        .map(StoredRun.MetricPoint::step).toList(), "the history goes on");
    assertEquals(parent.id(), ended.tags().get(SystemTags.PARENT_RUN_ID));
    assertEquals(java.util.Optional.empty(), parent.reopenChild("0123456789abcdef0123456789abcdef"));
  }
}
