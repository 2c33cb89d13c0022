package dev.tessera.stages.detection.model;

import java.io.Serializable;

/**
 * One anchor's size in pixels of the network input.
 *
 * @param width the anchor width in pixels, > 0
 * @param height the anchor height in pixels, > 0
 */
public record AnchorBox(double width, double height) implements Serializable {
  public AnchorBox {
    if (!(width > 0 && height > 0) || Double.isInfinite(width) || Double.isInfinite(height)) {
      throw new IllegalArgumentException("an anchor needs a positive finite width and height in pixels, but was "
          + width + "x" + height + ".");
    }
  }

  /** The IoU of two boxes of these sizes placed on the same centre (the k-means similarity of YOLOv2). */
  public double centredIou(double otherWidth, double otherHeight) {
    double inter = Math.min(width, otherWidth) * Math.min(height, otherHeight);
    return inter / (width * height + otherWidth * otherHeight - inter);
  }
}
