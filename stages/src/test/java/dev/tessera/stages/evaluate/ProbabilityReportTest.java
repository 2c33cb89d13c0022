package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.stages.evaluate.metrics.Average;
import dev.tessera.stages.evaluate.metrics.AveragePrecision;
import dev.tessera.stages.evaluate.metrics.RocAuc;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report holds the metrics of its predictions, leaves out the undefined ones and says why. */
class ProbabilityReportTest {
  @TempDir Path dir;

  private static final float[][] PROBABILITIES = {
      {0.7f, 0.2f, 0.1f}, {0.3f, 0.6f, 0.1f}, {0.2f, 0.2f, 0.6f}, {0.5f, 0.1f, 0.4f}, {0.1f, 0.3f, 0.6f},
      {0.4f, 0.5f, 0.1f}};

  @Test
  void reportsEveryMetricWhenEachClassHasSamples() throws Exception {
    Predictions predictions = new Predictions(new int[] {0, 1, 2, 2, 1, 0}, new int[] {0, 1, 2, 0, 2, 1},
        PROBABILITIES, 3);
    ProbabilityReport report = ProbabilityReport.of(predictions);
    assertEquals(RocAuc.oneVsRest(predictions.labels(), PROBABILITIES, Average.MACRO), report.rocAucMacro());
    assertEquals(List.of("log_loss", "balanced_accuracy", "cohen_kappa", "top2_accuracy", "roc_auc_macro",
        "roc_auc_weighted", "average_precision_macro", "average_precision_weighted"),
        List.copyOf(report.summary().keySet()), "top-5 is left out with 3 classes");
    assertEquals(0.5, report.balancedAccuracy(), 1e-12, "recall 1/2 per class");
    assertTrue(report.undefined().isEmpty());

    ConfusionMatrix matrix = ConfusionMatrix.of(3, predictions.labels(), predictions.predicted());
    JsonNode json = new ObjectMapper().readTree(report.mergedJson(ClassificationReport.of(matrix)));
    assertEquals(0.5, json.get("accuracy").asDouble(), 1e-12, "the confusion report's fields stay");
    assertEquals(report.rocAucMacro(), json.get("roc_auc_macro").asDouble());
    assertEquals(3, json.get("roc_auc_per_class").size());
    assertFalse(json.has("undefined"));
    assertEquals(List.of("roc_curves.png", "pr_curves.png"), report.savePlots(predictions, List.of("a", "b", "c"),
        dir));
  }

  @Test
  void scoresTwoClassesByThePositiveColumnAsScikitLearnDoes() {
    int[] labels = {0, 1, 1, 0, 1, 0};
    float[][] probabilities = {{0.8f, 0.2f}, {0.3f, 0.7f}, {0.6f, 0.4f}, {0.45f, 0.55f}, {0.1f, 0.9f},
        {0.7f, 0.3f}};
    ProbabilityReport report = ProbabilityReport.of(new Predictions(labels, new int[] {0, 1, 0, 1, 1, 0},
        probabilities, 2));
    double[] positive = {0.2f, 0.7f, 0.4f, 0.55f, 0.9f, 0.3f};
    assertEquals(RocAuc.binary(labels, positive), report.rocAucMacro());
    assertEquals(RocAuc.binary(labels, positive), report.rocAucWeighted());
    assertEquals(AveragePrecision.binary(labels, positive), report.averagePrecisionMacro());
    assertEquals(8.0 / 9, report.rocAucMacro(), 1e-12, "8 of the 9 positive-negative pairs are ranked right");
    assertEquals(2, report.rocAucPerClass().length, "per class stays one-vs-rest");
  }

  @Test
  void leavesOutRankingMetricsWhenAClassHasNoSamples() throws Exception {
    Predictions predictions = new Predictions(new int[] {0, 1, 0, 0, 1, 0}, new int[] {0, 1, 2, 0, 2, 1},
        PROBABILITIES, 3);
    ProbabilityReport report = ProbabilityReport.of(predictions);
    assertNull(report.rocAucMacro());
    assertNull(report.averagePrecisionWeighted());
    assertEquals(List.of("roc_auc and average_precision: classes [2] have no samples in this split, so their "
        + "one-vs-rest scores are undefined"), report.undefined());
    assertFalse(report.summary().containsKey("roc_auc_macro"));
    assertTrue(report.summary().containsKey("log_loss"));
    assertEquals(List.of(), report.savePlots(predictions, List.of("a", "b", "c"), dir));
    JsonNode json = new ObjectMapper().readTree(report.mergedJson(
        ClassificationReport.of(ConfusionMatrix.of(3, predictions.labels(), predictions.predicted()))));
    assertFalse(json.has("roc_auc_macro"));
    assertEquals(1, json.get("undefined").size());
  }
}
