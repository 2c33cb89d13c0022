package dev.tessera.stages.evaluate;

/** The built-in {@link ClassificationMetric}s, from {@link ClassificationReport}. */
public final class ConfusionMetrics {
  private ConfusionMetrics() {}

  /** The fraction of samples classified correctly ({@code accuracy}). */
  public static final class Accuracy implements ClassificationMetric {
    @Override
    public String name() {
      return "accuracy";
    }

    @Override
    public String description() {
      return "fraction of samples whose predicted class is the actual class";
    }

    @Override
    public double compute(ConfusionMatrix matrix) {
      return ClassificationReport.of(matrix).accuracy();
    }
  }

  /** Unweighted mean of the per-class precisions ({@code macro_precision}). */
  public static final class MacroPrecision implements ClassificationMetric {
    @Override
    public String name() {
      return "macro_precision";
    }

    @Override
    public double compute(ConfusionMatrix matrix) {
      return ClassificationReport.of(matrix).macro().precision();
    }
  }

  /** Unweighted mean of the per-class recalls ({@code macro_recall}). */
  public static final class MacroRecall implements ClassificationMetric {
    @Override
    public String name() {
      return "macro_recall";
    }

    @Override
    public double compute(ConfusionMatrix matrix) {
      return ClassificationReport.of(matrix).macro().recall();
    }
  }

  /** Unweighted mean of the per-class F1 scores ({@code macro_f1}). */
  public static final class MacroF1 implements ClassificationMetric {
    @Override
    public String name() {
      return "macro_f1";
    }

    @Override
    public double compute(ConfusionMatrix matrix) {
      return ClassificationReport.of(matrix).macro().f1();
    }
  }
}
