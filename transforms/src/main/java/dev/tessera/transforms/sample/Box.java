package dev.tessera.transforms.sample;

/**
 * An axis-aligned bounding box in pixel coordinates of the sample's current image, corners inclusive-exclusive
 * ({@code x1 <= x < x2}).
 *
 * <p>A box is not validated against its image here: zero-area, out-of-image or NaN boxes occur in real datasets
 * and must reach the dead-letter output with a reason rather than fail the pipeline. {@link #problem(int, int)}
 * names what is wrong with a box.
 */
public record Box(float x1, float y1, float x2, float y2, int classId) {

  public float width() {
    return x2 - x1;
  }

  public float height() {
    return y2 - y1;
  }

  public float area() {
    return Math.max(0f, width()) * Math.max(0f, height());
  }

  /**
   * Why this box is unusable in an image of the given size, or {@code null} when it is fine: a non-finite
   * coordinate, a negative class id, zero or negative area, or a corner outside the image.
   */
  public String problem(int imageWidth, int imageHeight) {
    if (!Float.isFinite(x1) || !Float.isFinite(y1) || !Float.isFinite(x2) || !Float.isFinite(y2)) {
      return "box " + this + " has a non-finite coordinate";
    }
    if (classId < 0) {
      return "box " + this + " has a negative class id";
    }
    if (x2 <= x1 || y2 <= y1) {
      return "box " + this + " has zero or negative area";
    }
    if (x1 < 0 || y1 < 0 || x2 > imageWidth || y2 > imageHeight) {
      return "box " + this + " lies outside the " + imageWidth + "x" + imageHeight + " image";
    }
    return null;
  }
}
