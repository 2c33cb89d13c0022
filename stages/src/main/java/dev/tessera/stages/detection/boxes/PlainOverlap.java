package dev.tessera.stages.detection.boxes;

/** The overlap measures on doubles; {@link NdOverlap} is the same arithmetic on NDArrays. */
final class PlainOverlap {
  /** Floor for denominators: where one would be 0 its numerator is 0 as well, so the term becomes 0. */
  static final double EPS = 1e-12;
  private static final double FOUR_OVER_PI_SQUARED = 4 / (Math.PI * Math.PI);

  private PlainOverlap() {}

  static double intersection(Corners a, Corners b) {
    double w = Math.max(0, Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()));
    double h = Math.max(0, Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()));
    return w * h;
  }

  static double iou(Corners a, Corners b) {
    double inter = intersection(a, b);
    double union = a.area() + b.area() - inter;
    return inter / Math.max(union, EPS);
  }

  static double giou(Corners a, Corners b) {
    double inter = intersection(a, b);
    double union = a.area() + b.area() - inter;
    double enclosing = (Math.max(a.x2(), b.x2()) - Math.min(a.x1(), b.x1()))
        * (Math.max(a.y2(), b.y2()) - Math.min(a.y1(), b.y1()));
    enclosing = Math.max(enclosing, 0);
    return inter / Math.max(union, EPS) - (enclosing - union) / Math.max(enclosing, EPS);
  }

  static double diou(Corners a, Corners b) {
    return iou(a, b) - centreDistancePenalty(a, b);
  }

  static double ciou(Corners a, Corners b) {
    double iou = iou(a, b);
    double angle = Math.atan(a.width() / Math.max(a.height(), EPS))
        - Math.atan(b.width() / Math.max(b.height(), EPS));
    double v = FOUR_OVER_PI_SQUARED * angle * angle;
    double alpha = v / Math.max(1 - iou + v, EPS);
    return iou - centreDistancePenalty(a, b) - alpha * v;
  }

  private static double centreDistancePenalty(Corners a, Corners b) {
    double dx = (a.x1() + a.x2() - b.x1() - b.x2()) / 2;
    double dy = (a.y1() + a.y2() - b.y1() - b.y2()) / 2;
    double cw = Math.max(a.x2(), b.x2()) - Math.min(a.x1(), b.x1());
    double ch = Math.max(a.y2(), b.y2()) - Math.min(a.y1(), b.y1());
    return (dx * dx + dy * dy) / Math.max(cw * cw + ch * ch, EPS);
  }
}
