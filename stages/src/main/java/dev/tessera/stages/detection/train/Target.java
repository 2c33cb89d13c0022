package dev.tessera.stages.detection.train;

/**
 * One positive of the label assignment: which prediction (image, scale, anchor, cell) must regress which box.
 *
 * @param image the image's index in the batch
 * @param scale the output scale (0 = stride 8, 1 = 16, 2 = 32)
 * @param anchor the anchor's index on that scale
 * @param cellY the grid row
 * @param cellX the grid column
 * @param x the box centre relative to the cell's top-left corner, in cells ({@code -0.5..1.5} with neighbours)
 * @param y likewise for the row
 * @param width the box width in cells
 * @param height the box height in cells
 * @param classId the box's class
 */
public record Target(int image, int scale, int anchor, int cellY, int cellX, double x, double y, double width,
    double height, int classId) {

  /** The index of this prediction in the scale's output flattened as (image, anchor, row, column). */
  public long flatIndex(int anchors, int rows, int columns) {
    return (((long) image * anchors + anchor) * rows + cellY) * columns + cellX;
  }
}
