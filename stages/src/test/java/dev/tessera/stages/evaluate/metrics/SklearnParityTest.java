package dev.tessera.stages.evaluate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tessera.pipelines.testing.PythonEnv;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric and every curve point equals scikit-learn 1.9.1's on the same seeded predictions within 1e-9:
 * binary and 3- and 10-class cases of several sizes, with and without tied scores, with imbalanced classes. The
 * predictions are written to a file, scikit-learn computes its values in the test Python environment, and each
 * number is compared.
 */
class SklearnParityTest {
  private static final double TOLERANCE = 1e-9;

  @TempDir static Path dir;
  private static final List<Predictions> CASES = new ArrayList<>();
  private static JsonNode expected;

  @BeforeAll
  static void computeReferences() throws Exception {
    Random random = new Random(20261206L);
    for (int n : new int[] {2, 9, 300, 5000}) {
      CASES.add(Predictions.binary("binary-ties-" + n, random, n, true));
      CASES.add(Predictions.binary("binary-smooth-" + n, random, n, false));
    }
    CASES.add(Predictions.multiclass("3class-ties-30", random, 30, 3, true));
    for (int n : new int[] {40, 1000, 10_000}) {
      CASES.add(Predictions.multiclass("10class-ties-" + n, random, n, 10, true));
      CASES.add(Predictions.multiclass("10class-smooth-" + n, random, n, 10, false));
    }
    List<Map<String, Object>> json = new ArrayList<>();
    for (Predictions p : CASES) {
      json.add(p.toJson());
    }
    json.add(Map.of("name", "unnormalized", "kind", "unnormalized", "labels", UNNORMALIZED_LABELS,
        "probabilities", UNNORMALIZED));
    Path cases = dir.resolve("cases.json");
    JsonMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    mapper.writeValue(cases.toFile(), json);
    Path script = dir.resolve("sklearn_classification_metrics.py");
    try (InputStream in = SklearnParityTest.class.getClassLoader()
        .getResourceAsStream("python/sklearn_classification_metrics.py")) {
      Files.copy(in, script);
    }
    expected = mapper.readTree(PythonEnv.get().run(script, List.of(cases.toString()), Map.of()));
  }

  @Test
  void binaryScoresMatch() {
    for (Predictions p : binaries()) {
      JsonNode e = expected.get(p.name);
      near(p.name + " roc_auc", e, "roc_auc", RocAuc.binary(p.labels, p.scores));
      near(p.name + " average_precision", e, "average_precision", AveragePrecision.binary(p.labels, p.scores));
      near(p.name + " top1", e, "top1", TopKAccuracy.binary(p.labels, p.scores, 1));
      near(p.name + " top2", e, "top2", TopKAccuracy.binary(p.labels, p.scores, 2));
      near(p.name + " log_loss", e, "log_loss", LogLoss.binary(p.labels, p.scores));
    }
  }

  @Test
  void binaryCurvesMatchPointByPoint() {
    for (Predictions p : binaries()) {
      if (p.curves) {
        curvesMatch(p.name, expected.get(p.name).get("curves"), p.labels, p.scores);
      }
    }
  }

  @Test
  void multiclassRankingScoresMatch() {
    for (Predictions p : multiclasses()) {
      JsonNode e = expected.get(p.name);
      String n = p.name;
      near(n + " roc_auc macro", e, "roc_auc_macro", RocAuc.oneVsRest(p.labels, p.probabilities, Average.MACRO));
      near(n + " roc_auc weighted", e, "roc_auc_weighted",
          RocAuc.oneVsRest(p.labels, p.probabilities, Average.WEIGHTED));
      nearAll(n + " roc_auc per class", e.get("roc_auc_per_class"), RocAuc.perClass(p.labels, p.probabilities));
      near(n + " ap macro", e, "ap_macro", AveragePrecision.oneVsRest(p.labels, p.probabilities, Average.MACRO));
      near(n + " ap weighted", e, "ap_weighted",
          AveragePrecision.oneVsRest(p.labels, p.probabilities, Average.WEIGHTED));
      nearAll(n + " ap per class", e.get("ap_per_class"), AveragePrecision.perClass(p.labels, p.probabilities));
      for (int k : new int[] {1, 2, 5}) {
        near(n + " top" + k, e.get("top_k"), Integer.toString(k), TopKAccuracy.of(p.labels, p.probabilities, k));
      }
    }
  }

  @Test
  void multiclassCurvesMatchPointByPoint() {
    for (Predictions p : multiclasses()) {
      if (p.curves) {
        JsonNode perClass = expected.get(p.name).get("curves");
        List<RocCurve> roc = RocCurve.oneVsRest(p.labels, p.probabilities);
        List<PrecisionRecallCurve> pr = PrecisionRecallCurve.oneVsRest(p.labels, p.probabilities);
        for (int c = 0; c < p.classes; c++) {
          curvesMatch(p.name + " class " + c, perClass.get(c), Inputs.oneVsRest(p.labels, c),
              Inputs.column(p.probabilities, c));
          nearAll(p.name + " oneVsRest roc tpr " + c, perClass.get(c).get("roc_drop").get("tpr"), roc.get(c).tpr());
          nearAll(p.name + " oneVsRest pr precision " + c, perClass.get(c).get("pr_all").get("precision"),
              pr.get(c).precision());
        }
      }
    }
  }

  @Test
  void logLossMatchesForDoublesAndWithinFloat32RoundingForFloats() {
    for (Predictions p : multiclasses()) {
      JsonNode e = expected.get(p.name);
      near(p.name + " log_loss", e, "log_loss", LogLoss.of(p.labels, p.probabilities));
      near(p.name + " log_loss sum", e, "log_loss_sum", LogLoss.total(p.labels, p.probabilities));
      // scikit-learn sums float32 input in float32; this sums in double, so only float32 rounding may differ.
      double float32 = e.get("log_loss_float32").asDouble();
      double actual = LogLoss.of(p.labels, p.floatProbabilities());
      assertTrue(Math.abs(float32 - actual) <= 1e-6 * Math.abs(float32),
          p.name + " log_loss float32: sklearn " + float32 + ", tessera " + actual);
    }
  }

  @Test
  void logLossNeitherRenormalizesRowsNorRejectsThem() {
    JsonNode e = expected.get("unnormalized");
    near("unnormalized log_loss", e, "log_loss", LogLoss.of(UNNORMALIZED_LABELS, UNNORMALIZED));
    float[][] floats = new float[UNNORMALIZED.length][];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = new float[] {(float) UNNORMALIZED[i][0], (float) UNNORMALIZED[i][1], (float) UNNORMALIZED[i][2]};
    }
    double float32 = e.get("log_loss_float32").asDouble();
    double actual = LogLoss.of(UNNORMALIZED_LABELS, floats);
    assertTrue(Math.abs(float32 - actual) <= 1e-6 * float32, "float32: sklearn " + float32 + ", tessera " + actual);
  }

  /** Rows summing to 0.6-1.4, with zeros and ones where clipping applies (both in double and in float32). */
  private static final int[] UNNORMALIZED_LABELS = {0, 1, 2, 2, 0, 1};
  private static final double[][] UNNORMALIZED = {
      {0.5, 0.1, 0.0}, {0.3, 0.9, 0.2}, {0.2, 0.2, 1.0}, {0.4, 0.6, 0.0}, {1.0, 0.0, 0.0}, {0.2, 1e-9, 0.7}};

  @Test
  void labelMetricsMatch() {
    for (Predictions p : CASES) {
      JsonNode e = expected.get(p.name);
      long[][] counts = Counts.of("test", p.labels, p.predicted, p.classes);
      near(p.name + " balanced_accuracy", e, "balanced_accuracy",
          BalancedAccuracy.of(p.labels, p.predicted, p.classes));
      near(p.name + " balanced_accuracy adjusted", e, "balanced_accuracy_adjusted",
          BalancedAccuracy.adjusted(counts));
      near(p.name + " kappa", e, "kappa_none", CohenKappa.of(p.labels, p.predicted, p.classes, KappaWeights.NONE));
      near(p.name + " kappa linear", e, "kappa_linear", CohenKappa.of(counts, KappaWeights.LINEAR));
      near(p.name + " kappa quadratic", e, "kappa_quadratic", CohenKappa.of(counts, KappaWeights.QUADRATIC));
    }
  }

  private static void curvesMatch(String name, JsonNode e, int[] labels, double[] scores) {
    for (boolean drop : new boolean[] {true, false}) {
      RocCurve roc = RocCurve.of(labels, scores, drop);
      JsonNode r = e.get(drop ? "roc_drop" : "roc_all");
      String what = name + (drop ? " roc (drop_intermediate)" : " roc");
      nearAll(what + " fpr", r.get("fpr"), roc.fpr());
      nearAll(what + " tpr", r.get("tpr"), roc.tpr());
      nearAll(what + " thresholds", r.get("thresholds"), roc.thresholds());
      PrecisionRecallCurve pr = PrecisionRecallCurve.of(labels, scores, drop);
      JsonNode q = e.get(drop ? "pr_drop" : "pr_all");
      what = name + (drop ? " pr (drop_intermediate)" : " pr");
      nearAll(what + " precision", q.get("precision"), pr.precision());
      nearAll(what + " recall", q.get("recall"), pr.recall());
      nearAll(what + " thresholds", q.get("thresholds"), pr.thresholds());
    }
  }

  private static void near(String what, JsonNode parent, String field, double actual) {
    JsonNode node = parent.get(field);
    assertTrue(node != null && node.isNumber(), what + ": scikit-learn gave no number: " + node);
    near(what, node.asDouble(), actual);
  }

  private static void near(String what, double expected, double actual) {
    assertTrue(Math.abs(expected - actual) <= TOLERANCE,
        what + ": scikit-learn " + expected + ", tessera " + actual + " (difference " + (actual - expected) + ")");
  }

  private static void nearAll(String what, JsonNode expectedValues, double[] actual) {
    assertEquals(expectedValues.size(), actual.length, what + ": number of values");
    for (int i = 0; i < actual.length; i++) {
      JsonNode v = expectedValues.get(i);
      if (v.isTextual()) {
        assertEquals(Double.POSITIVE_INFINITY, actual[i], what + "[" + i + "]");
      } else {
        near(what + "[" + i + "]", v.asDouble(), actual[i]);
      }
    }
  }

  private static List<Predictions> binaries() {
    return CASES.stream().filter(p -> p.scores != null).toList();
  }

  private static List<Predictions> multiclasses() {
    return CASES.stream().filter(p -> p.probabilities != null).toList();
  }

  /** One seeded case: labels with either binary scores or class probabilities, and predicted labels. */
  private static final class Predictions {
    final String name;
    final int classes;
    final int[] labels;
    final double[] scores;
    final double[][] probabilities;
    final int[] predicted;
    final boolean curves;

    private Predictions(String name, int classes, int[] labels, double[] scores, double[][] probabilities,
        int[] predicted, boolean ties) {
      this.name = name;
      this.classes = classes;
      this.labels = labels;
      this.scores = scores;
      this.probabilities = probabilities;
      this.predicted = predicted;
      // Tied scores have few distinct thresholds, so their curves stay short at any size; untied curves have a
      // point per sample, so only the smaller ones are compared point by point (the scores cover the rest).
      this.curves = ties || labels.length <= 2000;
    }

    /** About 15% positives (at least one of each class); ties put scores on a 0.1 grid including 0 and 1. */
    static Predictions binary(String name, Random random, int n, boolean ties) {
      int[] labels = new int[n];
      double[] scores = new double[n];
      int[] predicted = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i == 0 ? 1 : i == 1 ? 0 : random.nextDouble() < 0.15 ? 1 : 0;
        double logit = random.nextGaussian() * 1.5 + (labels[i] == 1 ? 1.5 : -0.5);
        double p = 1 / (1 + Math.exp(-logit));
        scores[i] = ties ? Math.round(p * 10) / 10.0 : p;
        predicted[i] = scores[i] > 0.5 ? 1 : 0;
      }
      return new Predictions(name, 2, labels, scores, null, predicted, ties);
    }

    /**
     * Class frequencies falling geometrically (class 9 about 1/20 as frequent as class 0), every class present.
     * Ties: probabilities are small integer weights over their sum, so many rows and entries repeat. Predictions
     * are the argmax, with a few replaced by random classes.
     */
    static Predictions multiclass(String name, Random random, int n, int classes, boolean ties) {
      double[] frequency = new double[classes];
      double total = 0;
      for (int c = 0; c < classes; c++) {
        frequency[c] = Math.pow(0.72, c);
        total += frequency[c];
      }
      int[] labels = new int[n];
      double[][] probabilities = new double[n][classes];
      int[] predicted = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i < classes ? i : draw(random, frequency, total);
        double[] w = new double[classes];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          w[c] = ties ? random.nextInt(4) + (c == labels[i] ? random.nextInt(7) : 0)
              : Math.exp(random.nextGaussian() + (c == labels[i] ? 1.8 : 0));
          sum += w[c];
        }
        if (sum == 0) {
          w[labels[i]] = 1;
          sum = 1;
        }
        int best = 0;
        for (int c = 0; c < classes; c++) {
          probabilities[i][c] = w[c] / sum;
          best = probabilities[i][c] > probabilities[i][best] ? c : best;
        }
        predicted[i] = random.nextDouble() < 0.05 ? random.nextInt(classes) : best;
      }
      return new Predictions(name, classes, labels, null, probabilities, predicted, ties);
    }

    private static int draw(Random random, double[] frequency, double total) {
      double u = random.nextDouble() * total;
      for (int c = 0; c < frequency.length - 1; c++) {
        u -= frequency[c];
        if (u < 0) {
          return c;
        }
      }
      return frequency.length - 1;
    }

    float[][] floatProbabilities() {
      float[][] out = new float[probabilities.length][];
      for (int i = 0; i < out.length; i++) {
        out[i] = new float[classes];
        for (int c = 0; c < classes; c++) {
          out[i][c] = (float) probabilities[i][c];
        }
      }
      return out;
    }

    Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("name", name);
      json.put("kind", scores != null ? "binary" : "multiclass");
      json.put("labels", labels);
      json.put(scores != null ? "scores" : "probabilities", scores != null ? scores : probabilities);
      json.put("predicted", predicted);
      json.put("curves", curves);
      return json;
    }
  }
}
