package dev.tessera.stages.detection.boxes;

import static dev.tessera.stages.detection.boxes.OverlapMeasure.CIOU;
import static dev.tessera.stages.detection.boxes.OverlapMeasure.DIOU;
import static dev.tessera.stages.detection.boxes.OverlapMeasure.GIOU;
import static dev.tessera.stages.detection.boxes.OverlapMeasure.IOU;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.transforms.sample.Box;
import org.junit.jupiter.api.Test;

/** Each measure against values worked out by hand; the arithmetic is in the comments. */
class OverlapMeasureTest {
  private static final double TOL = 1e-12;

  @Test
  void overlappingSquares() {
    Corners a = new Corners(0, 0, 2, 2);
    Corners b = new Corners(1, 1, 3, 3);
    // intersection [1,2]x[1,2] = 1; areas 4 and 4; union 4 + 4 - 1 = 7
    assertEquals(1.0 / 7, IOU.of(a, b), TOL);
    // enclosing [0,3]x[0,3] = 9; GIoU = 1/7 - (9 - 7)/9 = 9/63 - 14/63 = -5/63
    assertEquals(-5.0 / 63, GIOU.of(a, b), TOL);
    // centres (1,1) and (2,2): rho^2 = 1 + 1 = 2; enclosing diagonal^2 = 3^2 + 3^2 = 18; DIoU = 1/7 - 1/9 = 2/63
    assertEquals(2.0 / 63, DIOU.of(a, b), TOL);
    // same aspect ratio (1:1): v = 0, so CIoU = DIoU
    assertEquals(2.0 / 63, CIOU.of(a, b), TOL);
    assertEquals(1 - 1.0 / 7, IOU.loss(a, b), TOL);
    assertEquals(1 + 5.0 / 63, GIOU.loss(a, b), TOL);
    assertEquals(1 - 2.0 / 63, CIOU.loss(a, b), TOL);
  }

  @Test
  void differentAspectRatios() {
    Corners a = new Corners(0, 0, 4, 2);
    Corners b = new Corners(0, 0, 2, 2);
    // intersection [0,2]x[0,2] = 4; areas 8 and 4; union 8 + 4 - 4 = 8; IoU = 1/2
    assertEquals(0.5, IOU.of(a, b), TOL);
    // enclosing is a itself: 8; GIoU = 1/2 - (8 - 8)/8 = 1/2
    assertEquals(0.5, GIOU.of(a, b), TOL);
    // centres (2,1) and (1,1): rho^2 = 1; diagonal^2 = 4^2 + 2^2 = 20; DIoU = 1/2 - 1/20 = 0.45
    assertEquals(0.45, DIOU.of(a, b), TOL);
    // v = 4/pi^2 (atan(4/2) - atan(2/2))^2 = 4/pi^2 (1.10714871779409 - 0.78539816339745)^2 = 0.0419565
    // alpha = v / ((1 - 1/2) + v); CIoU = 0.45 - alpha v = 0.45 - v^2 / (0.5 + v) = 0.4467519
    double v = 4 / (Math.PI * Math.PI) * Math.pow(Math.atan(2) - Math.atan(1), 2);
    assertEquals(0.0419565, v, 1e-7);
    assertEquals(0.45 - v * v / (0.5 + v), CIOU.of(a, b), TOL);
    assertEquals(0.4467519, CIOU.of(a, b), 1e-7);
  }

  @Test
  void disjointBoxesHaveZeroIouAndNegativeRefinements() {
    Corners a = new Corners(0, 0, 1, 1);
    Corners b = new Corners(2, 0, 3, 1);
    assertEquals(0, IOU.of(a, b), TOL);
    // union 1 + 1 = 2; enclosing [0,3]x[0,1] = 3; GIoU = 0 - (3 - 2)/3 = -1/3
    assertEquals(-1.0 / 3, GIOU.of(a, b), TOL);
    // centres (0.5,0.5) and (2.5,0.5): rho^2 = 4; diagonal^2 = 3^2 + 1^2 = 10; DIoU = -0.4; v = 0 so CIoU too
    assertEquals(-0.4, DIOU.of(a, b), TOL);
    assertEquals(-0.4, CIOU.of(a, b), TOL);
    assertEquals(1.4, DIOU.loss(a, b), TOL);
  }

  @Test
  void identicalBoxesScoreOneForEveryMeasure() {
    Corners a = new Corners(3.5, 1.25, 10, 7);
    for (OverlapMeasure m : OverlapMeasure.values()) {
      assertEquals(1, m.of(a, a), TOL, m.name());
      assertEquals(0, m.loss(a, a), TOL, m.name());
    }
  }

  @Test
  void measuresAreSymmetric() {
    Corners a = new Corners(0, 1, 5, 4);
    Corners b = new Corners(2, -1, 6, 9);
    for (OverlapMeasure m : OverlapMeasure.values()) {
      assertEquals(m.of(a, b), m.of(b, a), TOL, m.name());
    }
  }

  @Test
  void zeroAreaBoxesGiveZeroInsteadOfNan() {
    Corners point = new Corners(1, 1, 1, 1);
    // union 0, enclosing 0, diagonal 0: every term is 0/0 and documented as 0
    for (OverlapMeasure m : OverlapMeasure.values()) {
      assertEquals(0, m.of(point, point), TOL, m.name());
    }
    Corners square = new Corners(0, 0, 2, 2);
    // a point inside the square: intersection 0, union 4; enclosing = square, so GIoU = 0 - (4 - 4)/4 = 0
    assertEquals(0, IOU.of(point, square), TOL);
    assertEquals(0, GIOU.of(point, square), TOL);
    // inverted corners count as zero area: (2,2,0,0) against its upright twin has IoU 0, not 1
    assertEquals(0, IOU.of(new Corners(2, 2, 0, 0), square), TOL);
  }

  @Test
  void zeroHeightBoxHasAVerticalAspectAngle() {
    Corners flat = new Corners(0, 0, 2, 0);
    Corners square = new Corners(0, 0, 2, 2);
    // IoU 0 (no height); centres (1,0) and (1,1): rho^2 = 1; diagonal^2 = 2^2 + 2^2 = 8; DIoU = -1/8
    assertEquals(-0.125, DIOU.of(flat, square), TOL);
    // angles pi/2 and pi/4: v = 4/pi^2 (pi/4)^2 = 1/4; alpha = 0.25 / (1 + 0.25) = 0.2; CIoU = -1/8 - 0.2 * 0.25
    assertEquals(-0.175, CIOU.of(flat, square), 1e-10);
  }

  @Test
  void cornersConvertFromSampleBoxesAndCocoLayout() {
    assertEquals(new Corners(1, 2, 4, 6), Corners.of(new Box(1, 2, 4, 6, 3)));
    assertEquals(new Corners(1, 2, 4, 6), Corners.fromXywh(1, 2, 3, 4));
    assertEquals(12, Corners.fromXywh(1, 2, 3, 4).area(), TOL);
    assertEquals(0, new Corners(4, 0, 1, 5).area(), TOL);
  }
}
