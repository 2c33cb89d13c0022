package dev.tessera.stages.detection.nms;

/**
 * Settings of {@link Nms}: which suppression, its IoU threshold (and sigma for Gaussian Soft-NMS), the confidence
 * threshold, the cap on detections per image, and whether boxes of different classes suppress each other.
 *
 * <p>Defaults ({@link #defaults()}): hard NMS at IoU 0.45, confidence 0.001, 300 detections, class-wise; the
 * values YOLO-style detectors evaluate with.
 */
public record NmsSpec(
    Suppression suppression, double iouThreshold, double sigma, double scoreThreshold, int maxDetections,
    boolean classAgnostic) implements java.io.Serializable {

  public NmsSpec {
    if (suppression == null) {
      throw new IllegalArgumentException("nms.suppression must be one of HARD, LINEAR or GAUSSIAN, but was null.");
    }
    if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
      throw new IllegalArgumentException("nms.iouThreshold must be in [0, 1], but was " + iouThreshold
          + ". Typical values are 0.45 to 0.7.");
    }
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("nms.sigma must be a positive finite number, but was " + sigma
          + ". Bodla et al. use 0.5 for Gaussian Soft-NMS.");
    }
    if (!(scoreThreshold >= 0 && scoreThreshold < 1)) {
      throw new IllegalArgumentException("nms.scoreThreshold must be in [0, 1), but was " + scoreThreshold
          + ". Use 0.001 for evaluation, about 0.25 for display.");
    }
    if (maxDetections <= 0) {
      throw new IllegalArgumentException("nms.maxDetections must be positive, but was " + maxDetections
          + ". COCO evaluation counts at most 100 per image; 300 is common.");
    }
  }

  /** Hard, class-wise NMS at IoU 0.45, confidence 0.001, at most 300 detections. */
  public static NmsSpec defaults() {
    return new NmsSpec(Suppression.HARD, 0.45, 0.5, 0.001, 300, false);
  }

  public NmsSpec withSuppression(Suppression value) {
    return new NmsSpec(value, iouThreshold, sigma, scoreThreshold, maxDetections, classAgnostic);
  }

  public NmsSpec withIouThreshold(double value) {
    return new NmsSpec(suppression, value, sigma, scoreThreshold, maxDetections, classAgnostic);
  }

  public NmsSpec withSigma(double value) {
    return new NmsSpec(suppression, iouThreshold, value, scoreThreshold, maxDetections, classAgnostic);
  }

  public NmsSpec withScoreThreshold(double value) {
    return new NmsSpec(suppression, iouThreshold, sigma, value, maxDetections, classAgnostic);
  }

  public NmsSpec withMaxDetections(int value) {
    return new NmsSpec(suppression, iouThreshold, sigma, scoreThreshold, value, classAgnostic);
  }

  public NmsSpec withClassAgnostic(boolean value) {
    return new NmsSpec(suppression, iouThreshold, sigma, scoreThreshold, maxDetections, value);
  }
}
