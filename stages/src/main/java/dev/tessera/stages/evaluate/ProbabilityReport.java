package dev.tessera.stages.evaluate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.stages.evaluate.metrics.Average;
import dev.tessera.stages.evaluate.metrics.AveragePrecision;
import dev.tessera.stages.evaluate.metrics.BalancedAccuracy;
import dev.tessera.stages.evaluate.metrics.CohenKappa;
import dev.tessera.stages.evaluate.metrics.KappaWeights;
import dev.tessera.stages.evaluate.metrics.LogLoss;
import dev.tessera.stages.evaluate.metrics.PrecisionRecallCurve;
import dev.tessera.stages.evaluate.metrics.RocAuc;
import dev.tessera.stages.evaluate.metrics.RocCurve;
import dev.tessera.stages.evaluate.metrics.TopKAccuracy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a classifier's probabilities and labels beyond the confusion-matrix report, each equal to
 * scikit-learn's on the same predictions: log loss, balanced accuracy, Cohen's kappa, top-k accuracy and the
 * one-vs-rest ROC AUC and average precision (macro and weighted, and per class).
 *
 * <pre>{@code
 * ProbabilityReport scores = ProbabilityReport.of(predictions);
 * Files.writeString(dir.resolve("metrics.json"), scores.mergedJson(report));
 * scores.summary();   // {log_loss=0.031, balanced_accuracy=0.99, ..., roc_auc_macro=0.9998, ...}
 * }</pre>
 *
 * <p>A metric that is undefined on these predictions is absent (null) rather than a guess, and {@code undefined}
 * says why: ROC AUC and average precision when a class has no samples in the split, kappa when all labels and
 * predictions are one class. Top-k accuracy is given for k = 2 and 5 where k is below the class count. Log loss
 * uses the float32 probabilities as they are, as scikit-learn does with a float32 {@code predict_proba}. With two
 * classes the ROC AUC and AP (macro and weighted alike) are those of class 1's column, as scikit-learn computes
 * them for binary labels; the per-class values stay one-vs-rest.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"log_loss", "balanced_accuracy", "cohen_kappa", "top_k_accuracy", "roc_auc_macro",
    "roc_auc_weighted", "average_precision_macro", "average_precision_weighted", "roc_auc_per_class",
    "average_precision_per_class", "undefined"})
public record ProbabilityReport(
    @JsonProperty("log_loss") double logLoss,
    @JsonProperty("balanced_accuracy") double balancedAccuracy,
    @JsonProperty("cohen_kappa") Double cohenKappa,
    @JsonProperty("top_k_accuracy") Map<String, Double> topKAccuracy,
    @JsonProperty("roc_auc_macro") Double rocAucMacro,
    @JsonProperty("roc_auc_weighted") Double rocAucWeighted,
    @JsonProperty("average_precision_macro") Double averagePrecisionMacro,
    @JsonProperty("average_precision_weighted") Double averagePrecisionWeighted,
    @JsonProperty("roc_auc_per_class") double[] rocAucPerClass,
    @JsonProperty("average_precision_per_class") double[] averagePrecisionPerClass,
    @JsonProperty("undefined") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> undefined) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int[] TOP_K = {2, 5};

  public ProbabilityReport {
    topKAccuracy = Collections.unmodifiableMap(new LinkedHashMap<>(topKAccuracy));
    undefined = List.copyOf(undefined);
  }

  /** The metrics of {@code predictions} (at least one sample). */
  public static ProbabilityReport of(Predictions predictions) {
    int[] labels = predictions.labels();
    int classes = predictions.classes();
    float[][] probabilities = predictions.probabilities();
    List<String> undefined = new ArrayList<>();
    long[][] counts = new long[classes][classes];
    for (int i = 0; i < labels.length; i++) {
      counts[labels[i]][predictions.predicted()[i]]++;
    }
    Double kappa = null;
    if (CohenKappa.defined(counts)) {
      kappa = CohenKappa.of(counts, KappaWeights.NONE);
    } else {
      undefined.add("cohen_kappa: all labels and predictions are one class, so chance agreement is total");
    }
    Map<String, Double> topK = new LinkedHashMap<>();
    for (int k : TOP_K) {
      if (k < classes) {
        topK.put(Integer.toString(k), TopKAccuracy.of(labels, probabilities, k));
      }
    }
    long[] support = new long[classes];
    for (int label : labels) {
      support[label]++;
    }
    List<Integer> missing = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      if (support[c] == 0) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      undefined.add("roc_auc and average_precision: classes " + missing + " have no samples in this split, so "
          + "their one-vs-rest scores are undefined");
      return new ProbabilityReport(LogLoss.of(labels, probabilities), BalancedAccuracy.of(counts),
          kappa, topK, null, null, null, null, null, null, undefined);
    }
    double[] auc = RocAuc.perClass(labels, probabilities);
    double[] ap = AveragePrecision.perClass(labels, probabilities);
    double[] aucAverages = {Average.MACRO.combine(auc, support), Average.WEIGHTED.combine(auc, support)};
    double[] apAverages = {Average.MACRO.combine(ap, support), Average.WEIGHTED.combine(ap, support)};
    if (classes == 2) {
      // As scikit-learn scores a binary problem: the positive class's column alone, whatever the average.
      double[] positive = new double[labels.length];
      for (int i = 0; i < labels.length; i++) {
        positive[i] = probabilities[i][1];
      }
      aucAverages[0] = aucAverages[1] = RocAuc.binary(labels, positive);
      apAverages[0] = apAverages[1] = AveragePrecision.binary(labels, positive);
    }
    return new ProbabilityReport(LogLoss.of(labels, probabilities), BalancedAccuracy.of(counts), kappa, topK,
        aucAverages[0], aucAverages[1], apAverages[0], apAverages[1], auc, ap, undefined);
  }

  /**
   * The defined scalar metrics by name, such as {@code roc_auc_macro} and {@code top5_accuracy}: the evaluate
   * stage's summary figures, tracked as {@code evaluate/<name>}.
   */
  public Map<String, Double> summary() {
    Map<String, Double> summary = new LinkedHashMap<>();
    summary.put("log_loss", logLoss);
    summary.put("balanced_accuracy", balancedAccuracy);
    putIfDefined(summary, "cohen_kappa", cohenKappa);
    topKAccuracy.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> summary.put("top" + e.getKey() + "_accuracy", e.getValue()));
    putIfDefined(summary, "roc_auc_macro", rocAucMacro);
    putIfDefined(summary, "roc_auc_weighted", rocAucWeighted);
    putIfDefined(summary, "average_precision_macro", averagePrecisionMacro);
    putIfDefined(summary, "average_precision_weighted", averagePrecisionWeighted);
    return summary;
  }

  /** The {@code metrics.json} text: the confusion-matrix report's fields followed by these. */
  public String mergedJson(ClassificationReport report) throws IOException {
    ObjectNode merged = (ObjectNode) JSON.readTree(report.toJson());
    merged.setAll((ObjectNode) JSON.valueToTree(this));
    return JSON.writeValueAsString(merged);
  }

  /**
   * Writes {@code roc_curves.png} and {@code pr_curves.png} into {@code dir} when the curves are defined (every
   * class has samples) and returns the names of the files written.
   */
  public List<String> savePlots(Predictions predictions, List<String> classNames, Path dir) throws IOException {
    if (rocAucMacro == null) {
      return List.of();
    }
    float[][] probabilities = predictions.probabilities();
    RocCurvePlot.savePng(RocCurve.oneVsRest(predictions.labels(), probabilities), classNames,
        dir.resolve("roc_curves.png"));
    PrecisionRecallPlot.savePng(PrecisionRecallCurve.oneVsRest(predictions.labels(), probabilities, true),
        classNames, dir.resolve("pr_curves.png"));
    return List.of("roc_curves.png", "pr_curves.png");
  }

  private static void putIfDefined(Map<String, Double> summary, String name, Double value) {
    if (value != null) {
      summary.put(name, value);
    }
  }
}
