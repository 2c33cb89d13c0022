package dev.tessera.stages.evaluate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails with a message naming the metric, the offending value and what to pass instead. */
class MetricErrorsTest {
  private static final double[][] THREE_CLASSES = {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.2, 0.2, 0.6}};

  @Test
  void rejectsAClassWithoutSamplesInOneVsRestAuc() {
    assertMessage("roc_auc_score: class 2 has no samples among the 3 labels, so its one-vs-rest score is "
        + "undefined; evaluate on a split that contains every class.",
        () -> RocAuc.oneVsRest(new int[] {0, 1, 1}, THREE_CLASSES, Average.MACRO));
  }

  @Test
  void rejectsBinaryLabelsWithoutPositives() {
    assertMessage("roc_auc_score: all 3 labels are 0 (no positives), so the score is undefined; evaluate on "
        + "samples of both classes.", () -> RocAuc.binary(new int[] {0, 0, 0}, new double[] {0.1, 0.5, 0.9}));
    assertMessage("average_precision_score: none of the 2 labels is 1, so recall is undefined; evaluate on "
        + "samples that include positives.", () -> AveragePrecision.binary(new int[] {0, 0}, new double[] {1, 2}));
  }

  @Test
  void rejectsRowsThatAreNotProbabilitiesInOneVsRestAuc() {
    double[][] logits = {{2.0, 0.5, -1.0}, {0.1, 0.8, 0.1}, {0.2, 0.2, 0.6}};
    assertMessage("roc_auc_score: probabilities[0] sums to 1.5, but one-vs-rest needs each row to sum to 1 "
        + "(within 1e-5); pass probabilities (apply softmax to logits) rather than raw scores.",
        () -> RocAuc.oneVsRest(new int[] {0, 1, 2}, logits, Average.WEIGHTED));
  }

  @Test
  void rejectsLengthMismatch() {
    assertMessage("top_k_accuracy_score: labels has 2 entries but probabilities has 3; pass one probabilities "
        + "entry per labelled sample.", () -> TopKAccuracy.of(new int[] {0, 1}, THREE_CLASSES, 2));
    assertMessage("roc_curve: labels has 1 entries but scores has 2; pass one scores entry per labelled sample.",
        () -> RocCurve.of(new int[] {1}, new double[] {0.1, 0.2}));
  }

  @Test
  void rejectsLabelsOutsideTheClasses() {
    assertMessage("log_loss: labels[1] = 3 is outside [0, 3), the class indices of the probability columns; "
        + "pass class indices.", () -> LogLoss.of(new int[] {0, 3, 2}, THREE_CLASSES));
    assertMessage("roc_curve: labels[0] = 2, but binary labels must be 0 (negative) or 1 (positive); for more "
        + "classes use the one-vs-rest variant.", () -> RocCurve.of(new int[] {2, 0}, new double[] {0.1, 0.2}));
  }

  @Test
  void rejectsProbabilitiesOutsideZeroToOneInLogLoss() {
    assertMessage("log_loss: probabilities[0][0] = 1.5 is outside [0, 1]; pass probabilities (apply softmax or "
        + "sigmoid to logits).", () -> LogLoss.of(new int[] {0, 1}, new double[][] {{1.5, -0.5}, {0.5, 0.5}}));
  }

  @Test
  void rejectsNonFiniteScores() {
    assertMessage("precision_recall_curve: scores[1] = NaN is not finite; pass finite scores (probabilities or "
        + "decision values).", () -> PrecisionRecallCurve.of(new int[] {1, 0}, new double[] {0.3, Double.NaN}));
  }

  @Test
  void rejectsKappaWhenChanceDisagreementIsZero() {
    assertMessage("cohen_kappa_score: chance disagreement is 0 (the labelings share at most one class), so kappa "
        + "is undefined; evaluate on samples of at least two classes.",
        () -> CohenKappa.of(new int[] {1, 1}, new int[] {1, 1}, 3, KappaWeights.NONE));
  }

  @Test
  void rejectsNonPositiveK() {
    assertMessage("top_k_accuracy_score: k must be >= 1, but was 0; pass how many of the highest-scored classes "
        + "count as a hit.", () -> TopKAccuracy.of(new int[] {0, 1, 2}, THREE_CLASSES, 0));
  }

  private static void assertMessage(String expected, Executable call) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
  }
}
