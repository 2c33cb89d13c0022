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
}
