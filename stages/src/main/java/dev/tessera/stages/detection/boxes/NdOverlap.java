package dev.tessera.stages.detection.boxes;

import ai.djl.ndarray.NDArray;

/**
 * The overlap measures on NDArrays of corners in the last axis, the arithmetic of {@link PlainOverlap}; leading
 * axes broadcast, so {@code (N, 1, 4)} against {@code (1, M, 4)} gives all pairs. Shapes are checked by the caller.
 */
final class NdOverlap {
  private static final double FOUR_OVER_PI_SQUARED = 4 / (Math.PI * Math.PI);

  private NdOverlap() {}

  /** The parts every measure shares, computed once per call. */
  private record Parts(NDArray inter, NDArray union, Cols a, Cols b) {
    static Parts of(NDArray a, NDArray b) {
      Cols ca = Cols.of(a);
      Cols cb = Cols.of(b);
      NDArray w = ca.x2.minimum(cb.x2).sub(ca.x1.maximum(cb.x1)).maximum(0);
      NDArray h = ca.y2.minimum(cb.y2).sub(ca.y1.maximum(cb.y1)).maximum(0);
      NDArray inter = w.mul(h);
      NDArray union = ca.area().add(cb.area()).sub(inter);
      return new Parts(inter, union, ca, cb);
    }

    NDArray iou() {
      return inter.div(union.maximum(PlainOverlap.EPS));
    }

    NDArray enclosingWidth() {
      return a.x2.maximum(b.x2).sub(a.x1.minimum(b.x1));
    }

    NDArray enclosingHeight() {
      return a.y2.maximum(b.y2).sub(a.y1.minimum(b.y1));
    }

    NDArray centreDistancePenalty() {
      NDArray dx = a.x1.add(a.x2).sub(b.x1).sub(b.x2).div(2);
      NDArray dy = a.y1.add(a.y2).sub(b.y1).sub(b.y2).div(2);
      NDArray diagonal = enclosingWidth().square().add(enclosingHeight().square());
      return dx.square().add(dy.square()).div(diagonal.maximum(PlainOverlap.EPS));
    }
  }

  /** The four corner columns of a {@code (..., 4)} array, each of the leading shape; they broadcast. */
  private record Cols(NDArray x1, NDArray y1, NDArray x2, NDArray y2) {
    static Cols of(NDArray boxes) {
      return new Cols(boxes.get("..., 0"), boxes.get("..., 1"), boxes.get("..., 2"), boxes.get("..., 3"));
    }

    NDArray width() {
      return x2.sub(x1).maximum(0);
    }

    NDArray height() {
      return y2.sub(y1).maximum(0);
    }

    NDArray area() {
      return width().mul(height());
    }

    NDArray aspectAngle() {
      return width().div(height().maximum(PlainOverlap.EPS)).atan();
    }
  }

  static NDArray iou(NDArray a, NDArray b) {
    return Parts.of(a, b).iou();
  }

  static NDArray giou(NDArray a, NDArray b) {
    Parts p = Parts.of(a, b);
    NDArray enclosing = p.enclosingWidth().mul(p.enclosingHeight()).maximum(0);
    return p.iou().sub(enclosing.sub(p.union).div(enclosing.maximum(PlainOverlap.EPS)));
  }

  static NDArray diou(NDArray a, NDArray b) {
    Parts p = Parts.of(a, b);
    return p.iou().sub(p.centreDistancePenalty());
  }

  static NDArray ciou(NDArray a, NDArray b) {
    Parts p = Parts.of(a, b);
    NDArray iou = p.iou();
    NDArray v = p.a.aspectAngle().sub(p.b.aspectAngle()).square().mul(FOUR_OVER_PI_SQUARED);
    // The paper treats alpha as a constant weight, not a path for gradients.
    NDArray alpha = v.div(iou.neg().add(1).add(v).maximum(PlainOverlap.EPS)).stopGradient();
    return iou.sub(p.centreDistancePenalty()).sub(alpha.mul(v));
  }
}
