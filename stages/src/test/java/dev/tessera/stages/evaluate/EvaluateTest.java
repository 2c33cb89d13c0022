package dev.tessera.stages.evaluate;

import static dev.tessera.pipelines.dag.Experiment.after;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.pipelines.artifact.Artifact;
import dev.tessera.pipelines.dag.Experiment;
import dev.tessera.pipelines.exec.RunOutcome;
import dev.tessera.pipelines.exec.RunResult;
import dev.tessera.pipelines.testing.Engine;
import dev.tessera.pipelines.testing.PythonEnv;
import dev.tessera.pipelines.tracking.mlflow.FileStoreReader;
import dev.tessera.pipelines.tracking.mlflow.FileStoreTracker;
import dev.tessera.pipelines.tracking.mlflow.StoredRun;
import dev.tessera.stages.preprocess.Preprocess;
import dev.tessera.stages.testing.SyntheticDigits;
import dev.tessera.stages.train.Models;
import dev.tessera.stages.train.Train;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluate stage end to end on synthetic digits (100 test samples in 2 shards, a small MLP trained one epoch):
 * it keeps every sample's probabilities in {@code predictions.arrow}, reports the probability metrics in
 * {@code metrics.json}, the stage summary and the tracker, equal to scikit-learn's on the file pyarrow reads, and
 * logs the ROC and PR plots.
 */
class EvaluateTest {
  @TempDir Path dir;

  @Test
  void keepsProbabilitiesAndReportsMetricsEqualToScikitLearnOnThem() throws Exception {
    Experiment experiment = Experiment.named("evaluate-probabilities").seed(3)
        .stage("source", SyntheticDigits.of(2, 50))
        .stage("preprocess", Preprocess.normalize(0.5, 0.25), after("source"))
        .stage("train", Train.classifier(Models.mlp(16).withInput(1, 20, 20)).epochs(1).batchSize(25),
            after("preprocess"))
        .stage("evaluate", new Evaluate(new EvaluateSpec("test", 30, EvaluateSpec.DEFAULT_METRICS)),
            after("train", "preprocess"))
        .build();
    Engine engine = new Engine(dir.resolve("home"));
    engine.tracker = FileStoreTracker.at(dir.resolve("mlruns"));
    RunResult result = engine.run(experiment);
    assertEquals(RunOutcome.SUCCEEDED, result.status(), String.valueOf(result.run().stages));
    Artifact evaluate = result.artifacts().get("evaluate");

    Predictions predictions = PredictionsFile.read(evaluate.resolve("predictions.arrow"));
    assertEquals(100, predictions.size());
    long[] support = new long[10];
    for (int i = 0; i < predictions.size(); i++) {
      support[predictions.labels()[i]]++;
      float[] row = predictions.probabilities()[i];
      double sum = 0;
      int argmax = 0;
      for (int c = 0; c < 10; c++) {
        sum += row[c];
        argmax = row[c] > row[argmax] ? c : argmax;
      }
      assertEquals(1.0, sum, 1e-6, "row " + i + " is a softmax");
      assertEquals(predictions.predicted()[i], argmax, "row " + i + ": the prediction is the most probable class");
    }
    assertArrayEquals(new long[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, support, "samples per class");

    JsonNode metrics = new ObjectMapper().readTree(evaluate.resolve("metrics.json").toFile());
    assertEquals(ConfusionMatrix.of(10, predictions.labels(), predictions.predicted()),
        ConfusionMatrix.of(new ObjectMapper().convertValue(metrics.get("confusion"), long[][].class)),
        "the confusion matrix counts the same predictions");
    JsonNode sklearn = sklearnOn(evaluate.resolve("predictions.arrow"));
    assertEquals(100, sklearn.get("rows").asInt());
    assertEquals("float32", sklearn.get("dtype").asText());
    Map<String, Double> summary = result.run().stages.get("evaluate").summary;
    StoredRun tracked = FileStoreReader.at(dir.resolve("mlruns")).runs().get(0);
    for (String name : List.of("balanced_accuracy", "cohen_kappa", "top2_accuracy", "top5_accuracy",
        "roc_auc_macro", "roc_auc_weighted", "average_precision_macro", "average_precision_weighted")) {
      double expected = sklearn.get(name).asDouble();
      assertEquals(expected, metrics.get(name) != null ? metrics.get(name).asDouble()
          : metrics.get("top_k_accuracy").get(name.substring(3, 4)).asDouble(), 1e-9, name + " in metrics.json");
      assertEquals(expected, summary.get(name), 1e-9, name + " in the stage summary");
      List<StoredRun.MetricPoint> points = tracked.metrics().get("evaluate/" + name);
      assertEquals(expected, points.get(points.size() - 1).value(), 1e-9, "evaluate/" + name + " tracked");
    }
    // scikit-learn sums float32 probabilities in float32; the stage sums in double.
    assertEquals(sklearn.get("log_loss").asDouble(), metrics.get("log_loss").asDouble(),
        1e-6 * sklearn.get("log_loss").asDouble(), "log_loss");

    for (String png : List.of("roc_curves.png", "pr_curves.png", "confusion_matrix.png")) {
      assertTrue(Files.exists(tracked.artifactsDirectory().resolve("evaluate").resolve(png)), png + " is logged");
    }
    assertEquals(RocCurvePlot.WIDTH, ImageIO.read(evaluate.resolve("roc_curves.png").toFile()).getWidth());
    assertEquals(PrecisionRecallPlot.HEIGHT, ImageIO.read(evaluate.resolve("pr_curves.png").toFile()).getHeight());
  }

  private JsonNode sklearnOn(Path predictions) throws Exception {
    Path script = dir.resolve("sklearn_on_predictions.py");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("python/sklearn_on_predictions.py")) {
      Files.copy(in, script);
    }
    return new ObjectMapper().readTree(PythonEnv.get().run(script, List.of(predictions.toString()), Map.of()));
  }
}
