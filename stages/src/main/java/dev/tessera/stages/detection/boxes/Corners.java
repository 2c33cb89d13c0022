package dev.tessera.stages.detection.boxes;

import dev.tessera.transforms.sample.Box;
import java.io.Serializable;

/**
 * An axis-aligned box as pixel corners, {@code x1 <= x < x2} and {@code y1 <= y < y2}, the layout of
 * {@link Box} without its class id.
 *
 * <p>Not validated: a box with {@code x2 < x1} or {@code y2 < y1} is degenerate and counts as zero area wherever
 * an area is taken (see {@link OverlapMeasure}). NaN coordinates give NaN results.
 */
public record Corners(double x1, double y1, double x2, double y2) implements Serializable {

  /** The corners of a sample box (its class id is dropped). */
  public static Corners of(Box box) {
    return new Corners(box.x1(), box.y1(), box.x2(), box.y2());
  }

  /** A box from COCO's {@code [x, y, width, height]} layout. */
  public static Corners fromXywh(double x, double y, double width, double height) {
    return new Corners(x, y, x + width, y + height);
  }

  /** Width, never negative ({@code max(0, x2 - x1)}). */
  public double width() {
    return Math.max(0, x2 - x1);
  }

  /** Height, never negative ({@code max(0, y2 - y1)}). */
  public double height() {
    return Math.max(0, y2 - y1);
  }

  /** Area in square pixels, 0 for a degenerate box. */
  public double area() {
    return width() * height();
  }
}
