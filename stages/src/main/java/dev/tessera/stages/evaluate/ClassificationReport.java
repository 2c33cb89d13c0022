package dev.tessera.stages.evaluate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy, per-class and macro-averaged precision/recall/F1, computed from a {@link ConfusionMatrix} the way
 * scikit-learn's {@code classification_report(..., zero_division=0)} does: a ratio with a zero denominator is 0.0,
 * and macro averages are unweighted means over all classes of the matrix (classes without samples included).
 *
 * <pre>{@code
 * ClassificationReport report = ClassificationReport.of(matrix, List.of("zero", "one", ...));
 * Files.writeString(dir.resolve("metrics.json"), report.toJson());
 * }</pre>
 *
 * <p>JSON ({@link #toJson()}): {@code {accuracy, macro: {precision, recall, f1}, per_class: [{class, name,
 * precision, recall, f1, support}], confusion: [[...]]}}, confusion rows = actual classes.
 *
 * @param accuracy correct / total; 0 for an empty matrix
 * @param macro unweighted means of the per-class values
 * @param perClass one entry per class, in class order
 * @param confusion the counts, {@code [actual][predicted]}
 */
@JsonPropertyOrder({"accuracy", "macro", "per_class", "confusion"})
public record ClassificationReport(
    double accuracy,
    Averages macro,
    @JsonProperty("per_class") List<ClassMetrics> perClass,
    long[][] confusion) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ClassificationReport {
    perClass = List.copyOf(perClass);
  }

  /**
   * Averages over classes.
   *
   * @param precision mean precision
   * @param recall mean recall
   * @param f1 mean F1 (of the per-class F1 values, not the F1 of the means)
   */
  @JsonPropertyOrder({"precision", "recall", "f1"})
  public record Averages(double precision, double recall, double f1) {}

  /** The report of a matrix, classes named {@code 0, 1, ...}. */
  public static ClassificationReport of(ConfusionMatrix matrix) {
    List<String> names = new ArrayList<>();
    for (int c = 0; c < matrix.classes(); c++) {
      names.add(Integer.toString(c));
    }
    return of(matrix, names);
  }

  /** The report of a matrix with one name per class. */
  public static ClassificationReport of(ConfusionMatrix matrix, List<String> classNames) {
    int classes = matrix.classes();
    if (classNames.size() != classes) {
      throw new IllegalArgumentException(
          "classNames must have one name per class (" + classes + "), but had " + classNames.size());
    }
    List<ClassMetrics> perClass = new ArrayList<>(classes);
    double precisionSum = 0;
    double recallSum = 0;
    double f1Sum = 0;
    for (int c = 0; c < classes; c++) {
      long tp = matrix.count(c, c);
      long support = matrix.support(c);
      long predicted = matrix.predictedCount(c);
      long fp = predicted - tp;
      long fn = support - tp;
      double precision = ratio(tp, predicted);
      double recall = ratio(tp, support);
      double f1 = ratio(2 * tp, 2 * tp + fp + fn);
      perClass.add(new ClassMetrics(c, classNames.get(c), precision, recall, f1, support));
      precisionSum += precision;
      recallSum += recall;
      f1Sum += f1;
    }
    return new ClassificationReport(
        ratio(matrix.correct(), matrix.total()),
        new Averages(precisionSum / classes, recallSum / classes, f1Sum / classes),
        perClass,
        matrix.counts());
  }

  /** {@code numerator / denominator}, 0.0 when the denominator is 0 (scikit-learn's zero_division=0). */
  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }

  /** The {@code metrics.json} text (indented). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot write the classification report as JSON", e);
    }
  }

  /** Writes {@link #toJson()} to {@code file}. */
  public void writeJson(Path file) throws IOException {
    Files.writeString(file, toJson());
  }
}
