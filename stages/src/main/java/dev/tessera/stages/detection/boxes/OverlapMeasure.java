package dev.tessera.stages.detection.boxes;

import ai.djl.ndarray.NDArray;
import java.util.function.BinaryOperator;
import java.util.function.ToDoubleBiFunction;

/**
 * How much two boxes agree: IoU and its distance-aware refinements GIoU (Rezatofighi et al. 2019), DIoU and CIoU
 * (Zheng et al. 2020), each with its loss {@code 1 - value}.
 *
 * <p>Values: IoU in [0, 1]; GIoU and DIoU in (-1, 1]; CIoU in [-1.5, 1]. Degenerate boxes (zero or negative
 * width or height) count as zero area and never produce NaN: where a denominator (union, enclosing area, enclosing
 * diagonal, the CIoU trade-off {@code (1 - IoU) + v}) is zero, its numerator is zero too and the term is 0. So two
 * zero-area boxes have IoU 0, and a zero-height box has aspect angle {@code pi/2} (0 when both sides are 0).
 *
 * <p>The NDArray forms take {@code (N, 4)} arrays of corners (any float type; float32 in training) and return
 * {@code (N)}: the measure of row i of {@code a} against row i of {@code b}; {@link #pairwise} gives every box
 * against every box as {@code (N, M)}. They are differentiable; as in the CIoU paper, the trade-off weight
 * {@code alpha} is held constant in the backward pass.
 */
public enum OverlapMeasure {
  /** Intersection over union. */
  IOU(PlainOverlap::iou, NdOverlap::iou),
  /** IoU minus the share of the smallest enclosing box that neither box covers. */
  GIOU(PlainOverlap::giou, NdOverlap::giou),
  /** IoU minus the squared centre distance over the squared diagonal of the enclosing box. */
  DIOU(PlainOverlap::diou, NdOverlap::diou),
  /** DIoU minus {@code alpha * v}, where v measures the difference of aspect ratios. */
  CIOU(PlainOverlap::ciou, NdOverlap::ciou);

  private final ToDoubleBiFunction<Corners, Corners> plain;
  private final BinaryOperator<NDArray> batched;

  OverlapMeasure(ToDoubleBiFunction<Corners, Corners> plain, BinaryOperator<NDArray> batched) {
    this.plain = plain;
    this.batched = batched;
  }

  /** The measure of two boxes. Symmetric in {@code a} and {@code b}. */
  public double of(Corners a, Corners b) {
    return plain.applyAsDouble(a, b);
  }

  /** The measure row by row of two {@code (N, 4)} corner arrays, as an {@code (N)} array. */
  public NDArray of(NDArray a, NDArray b) {
    requireBoxes(a, "a");
    if (!a.getShape().equals(b.getShape())) {
      throw new IllegalArgumentException("box overlap row by row needs two (N, 4) arrays of the same shape, but got "
          + a.getShape() + " and " + b.getShape() + ". Use pairwise(a, b) for every box against every box.");
    }
    return batched.apply(a, b);
  }

  /**
   * The measure of every box in {@code a} {@code (N, 4)} against every box in {@code b} {@code (M, 4)}, as an
   * {@code (N, M)} array: row i holds box i of {@code a} against each box of {@code b} (e.g. anchors against
   * ground truth when assigning targets).
   */
  public NDArray pairwise(NDArray a, NDArray b) {
    requireBoxes(a, "a");
    requireBoxes(b, "b");
    return batched.apply(a.expandDims(1), b.expandDims(0));
  }

  private static void requireBoxes(NDArray boxes, String name) {
    if (boxes.getShape().dimension() != 2 || boxes.getShape().get(1) != 4) {
      throw new IllegalArgumentException("box overlap needs " + name + " as an (N, 4) array of corners x1,y1,x2,y2,"
          + " but its shape was " + boxes.getShape() + ". Reshape it to (N, 4).");
    }
  }

  /** The loss {@code 1 - of(a, b)}: 0 for identical boxes. */
  public double loss(Corners a, Corners b) {
    return 1 - of(a, b);
  }

  /** The loss {@code 1 - of(a, b)} row by row, as an {@code (N)} array (reduce it yourself, e.g. mean). */
  public NDArray loss(NDArray a, NDArray b) {
    return of(a, b).neg().add(1);
  }
}
