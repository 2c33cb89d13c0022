package dev.tessera.stages.segmentation;

import dev.tessera.stages.evaluate.ConfusionMatrix;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Segmentation metrics of a pixel confusion matrix (rows: actual class, columns: predicted): pixel accuracy, and per
 * class the intersection over union {@code IoU_c = TP / (TP + FP + FN)} and the Dice coefficient
 * {@code Dice_c = 2 TP / (2 TP + FP + FN)} (the pixel F1 score), with their means over the classes.
 *
 * <p>A class that is neither in the ground truth nor predicted has no IoU or Dice (0/0): its value is {@code NaN}
 * and the means leave it out. scikit-learn's {@code jaccard_score}/{@code f1_score} with {@code labels} set to the
 * classes present give the same per-class values and means (within 1e-9, tested).
 *
 * @param classes class names, index = class
 * @param confusion the pixel counts, {@code classes.size()} square
 */
public record SegmentationReport(List<String> classes, ConfusionMatrix confusion) implements Serializable {
  private static final long serialVersionUID = 1L;

  public SegmentationReport {
    classes = List.copyOf(classes);
    if (confusion.classes() != classes.size()) {
      throw new IllegalArgumentException("the confusion matrix has " + confusion.classes() + " classes, but "
          + classes.size() + " class names were given: " + classes);
    }
  }

  /** Pixels counted. */
  public long pixels() {
    return confusion.total();
  }

  /** The fraction of pixels classified right. */
  public double pixelAccuracy() {
    return (double) confusion.correct() / confusion.total();
  }

  /** TP / (TP + FP + FN) of class {@code c}, or NaN when the class is neither present nor predicted. */
  public double iou(int c) {
    long tp = confusion.count(c, c);
    long union = confusion.support(c) + confusion.predictedCount(c) - tp;
    return union == 0 ? Double.NaN : (double) tp / union;
  }

  /** 2 TP / (2 TP + FP + FN) of class {@code c}, or NaN when the class is neither present nor predicted. */
  public double dice(int c) {
    long tp = confusion.count(c, c);
    long total = confusion.support(c) + confusion.predictedCount(c);
    return total == 0 ? Double.NaN : 2.0 * tp / total;
  }

  /** The mean IoU over the classes that have one. */
  public double meanIou() {
    return meanOver(this::iou);
  }

  /** The mean Dice over the classes that have one. */
  public double meanDice() {
    return meanOver(this::dice);
  }

  private double meanOver(java.util.function.IntToDoubleFunction metric) {
    double sum = 0;
    int n = 0;
    for (int c = 0; c < classes.size(); c++) {
      double value = metric.applyAsDouble(c);
      if (!Double.isNaN(value)) {
        sum += value;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /**
   * The metrics by name: {@code pixel_accuracy}, {@code mean_iou}, {@code mean_dice}, then {@code iou_<class>} and
   * {@code dice_<class>} for each class that has them (names lower-cased, non-alphanumerics as '_').
   */
  public Map<String, Double> summary() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("pixel_accuracy", pixelAccuracy());
    out.put("mean_iou", meanIou());
    out.put("mean_dice", meanDice());
    for (int c = 0; c < classes.size(); c++) {
      String name = classes.get(c).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
      if (!Double.isNaN(iou(c))) {
        out.put("iou_" + name, iou(c));
        out.put("dice_" + name, dice(c));
      }
    }
    return out;
  }
}
