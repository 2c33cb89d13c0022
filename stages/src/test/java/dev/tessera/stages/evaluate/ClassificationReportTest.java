package dev.tessera.stages.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationReportTest {
  private static final double EPS = 1e-12;

  /**
   * Rows actual, columns predicted:
   *
   * <pre>
   *          pred 0  pred 1  pred 2   support
   * true 0      5       1       0        6
   * true 1      2       3       1        6
   * true 2      0       0       4        4
   * column      7       4       5       16
   * </pre>
   *
   * accuracy = (5+3+4)/16 = 0.75.
   * class 0: P = 5/7, R = 5/6, F1 = 2*5/(2*5+2+1) = 10/13.
   * class 1: P = 3/4, R = 3/6, F1 = 2*3/(2*3+1+3) = 6/10.
   * class 2: P = 4/5, R = 4/4, F1 = 2*4/(2*4+1+0) = 8/9.
   * macro: P = (5/7+3/4+4/5)/3, R = (5/6+1/2+1)/3 = 7/9, F1 = (10/13+3/5+8/9)/3.
   * (scikit-learn's classification_report gives the same: precision 0.71/0.75/0.80, recall 0.83/0.50/1.00.)
   */
  private static final ConfusionMatrix MATRIX =
      ConfusionMatrix.of(new long[][] {{5, 1, 0}, {2, 3, 1}, {0, 0, 4}});

  @Test
  void matchesHandComputedScikitLearnValues() {
    ClassificationReport report = ClassificationReport.of(MATRIX, List.of("cat", "dog", "eel"));
    assertEquals(0.75, report.accuracy(), EPS);
    assertEquals(new ClassMetrics(0, "cat", 5.0 / 7, 5.0 / 6, 10.0 / 13, 6), report.perClass().get(0));
    assertEquals(new ClassMetrics(1, "dog", 3.0 / 4, 3.0 / 6, 6.0 / 10, 6), report.perClass().get(1));
    assertEquals(new ClassMetrics(2, "eel", 4.0 / 5, 1.0, 8.0 / 9, 4), report.perClass().get(2));
    assertEquals((5.0 / 7 + 3.0 / 4 + 4.0 / 5) / 3, report.macro().precision(), EPS);
    assertEquals(7.0 / 9, report.macro().recall(), EPS);
    assertEquals((10.0 / 13 + 3.0 / 5 + 8.0 / 9) / 3, report.macro().f1(), EPS);
  }

  /**
   * Class 2 never occurs and is never predicted: its precision, recall and F1 are 0/0, reported as 0.0 (as with
   * zero_division=0), and it still counts in the macro mean. Class 1: column 1 holds only its tp, so P = 1/1,
   * R = 1/2, F1 = 2/(2+0+1) = 2/3. Class 0: P = 2/3, R = 2/2, F1 = 4/(4+1+0) = 4/5. Accuracy = 3/4.
   */
  @Test
  void definesZeroOverZeroAsZero() {
    ClassificationReport report =
        ClassificationReport.of(ConfusionMatrix.of(new long[][] {{2, 0, 0}, {1, 1, 0}, {0, 0, 0}}));
    assertEquals(new ClassMetrics(0, "0", 2.0 / 3, 1.0, 4.0 / 5, 2), report.perClass().get(0));
    assertEquals(new ClassMetrics(1, "1", 1.0, 0.5, 2.0 / 3, 2), report.perClass().get(1));
    assertEquals(new ClassMetrics(2, "2", 0.0, 0.0, 0.0, 0), report.perClass().get(2));
    assertEquals((2.0 / 3 + 1.0) / 3, report.macro().precision(), EPS);
    assertEquals(0.75, report.accuracy(), EPS);
    assertEquals(0.0, ClassificationReport.of(new ConfusionMatrix(2)).accuracy());
  }

  @Test
  void writesTheMetricsJsonLayout() throws Exception {
    ClassificationReport report =
        ClassificationReport.of(ConfusionMatrix.of(new long[][] {{1, 1}, {0, 2}}), List.of("no", "yes"));
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertEquals(
        new ObjectMapper().readTree("""
            {"accuracy": 0.75,
             "macro": {"precision": 0.8333333333333333, "recall": 0.75, "f1": 0.7333333333333334},
             "per_class": [
               {"class": 0, "name": "no", "precision": 1.0, "recall": 0.5, "f1": 0.6666666666666666, "support": 2},
               {"class": 1, "name": "yes", "precision": 0.6666666666666666, "recall": 1.0, "f1": 0.8, "support": 2}],
             "confusion": [[1, 1], [0, 2]]}
            """),
        json);
    List<String> keys = List.of("accuracy", "macro", "per_class", "confusion");
    List<String> actual = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(actual::add);
    assertEquals(keys, actual);
  }
}
