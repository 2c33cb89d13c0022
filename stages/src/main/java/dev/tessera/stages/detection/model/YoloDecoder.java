package dev.tessera.stages.detection.model;

import dev.tessera.stages.detection.nms.Detection;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw head outputs to boxes in pixels of the network input, YOLOv5's parameterization: centre
 * {@code ((2 sigmoid(t) - 0.5) + cell) * stride}, size {@code (2 sigmoid(t))^2 * anchor} (so at most 4 times the
 * anchor), score {@code sigmoid(objectness) * sigmoid(class)} for every class whose score reaches the threshold
 * (multi-label, as YOLO evaluates). Run {@code Nms} afterwards.
 */
public final class YoloDecoder {
  private YoloDecoder() {}

  /**
   * The detections of one image on one scale.
   *
   * @param raw the scale's output for one image, {@code A * (5 + C) x H x W} floats in CHW order
   * @param height grid rows
   * @param width grid columns
   * @param stride pixels per cell
   * @param anchors the scale's anchors
   * @param classes C
   * @param threshold the lowest score kept
   * @param out where the detections are added
   */
  public static void decode(float[] raw, int height, int width, int stride, List<AnchorBox> anchors, int classes,
      double threshold, List<Detection> out) {
    int plane = height * width;
    int per = 5 + classes;
    for (int a = 0; a < anchors.size(); a++) {
      int base = a * per * plane;
      for (int cell = 0; cell < plane; cell++) {
        double objectness = sigmoid(raw[base + 4 * plane + cell]);
        if (objectness < threshold) {
          continue;
        }
        double cx = (2 * sigmoid(raw[base + cell]) - 0.5 + cell % width) * stride;
        double cy = (2 * sigmoid(raw[base + plane + cell]) - 0.5 + cell / width) * stride;
        double bw = square(2 * sigmoid(raw[base + 2 * plane + cell])) * anchors.get(a).width();
        double bh = square(2 * sigmoid(raw[base + 3 * plane + cell])) * anchors.get(a).height();
        for (int c = 0; c < classes; c++) {
          double score = objectness * sigmoid(raw[base + (5 + c) * plane + cell]);
          if (score >= threshold) {
            out.add(Detection.of(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, score, c));
          }
        }
      }
    }
  }

  /** All scales of one image: {@code raw.get(s)} is scale s's output as in {@link #decode}. */
  public static List<Detection> decodeAll(List<float[]> raw, int inputSide, YoloConfig config, double threshold) {
    List<Detection> out = new ArrayList<>();
    for (int s = 0; s < YoloConfig.STRIDES.size(); s++) {
      int stride = YoloConfig.STRIDES.get(s);
      decode(raw.get(s), inputSide / stride, inputSide / stride, stride, config.anchors().get(s), config.classes(),
          threshold, out);
    }
    return out;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double square(double x) {
    return x * x;
  }
}
