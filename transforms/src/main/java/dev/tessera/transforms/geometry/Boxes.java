package dev.tessera.transforms.geometry;

import dev.tessera.transforms.sample.Box;
import java.util.ArrayList;
import java.util.List;

/**
 * Box geometry in pixel coordinates, corners inclusive-exclusive ({@code x1 <= x < x2}), so a box covering pixel
 * columns {@code 0..w-1} is {@code [0, w)}. Every method returns a new list and accepts {@code null} (no box
 * annotation) by returning {@code null}, so classification samples pass through untouched.
 */
public final class Boxes {
  private Boxes() {}

  /** Each box scaled by {@code (sx, sy)} then shifted by {@code (dx, dy)}: {@code x' = x * sx + dx}. */
  public static List<Box> affine(List<Box> boxes, double sx, double sy, double dx, double dy) {
    if (boxes == null) {
      return null;
    }
    List<Box> out = new ArrayList<>(boxes.size());
    for (Box b : boxes) {
      out.add(new Box((float) (b.x1() * sx + dx), (float) (b.y1() * sy + dy), (float) (b.x2() * sx + dx),
          (float) (b.y2() * sy + dy), b.classId()));
    }
    return out;
  }

  /** Boxes mirrored left-right in an image {@code width} pixels wide: {@code x' = width - x}, corners swapped. */
  public static List<Box> flipHorizontal(List<Box> boxes, int width) {
    if (boxes == null) {
      return null;
    }
    List<Box> out = new ArrayList<>(boxes.size());
    for (Box b : boxes) {
      out.add(new Box(width - b.x2(), b.y1(), width - b.x1(), b.y2(), b.classId()));
    }
    return out;
  }

  /** Boxes mirrored top-bottom in an image {@code height} pixels high: {@code y' = height - y}. */
  public static List<Box> flipVertical(List<Box> boxes, int height) {
    if (boxes == null) {
      return null;
    }
    List<Box> out = new ArrayList<>(boxes.size());
    for (Box b : boxes) {
      out.add(new Box(b.x1(), height - b.y2(), b.x2(), height - b.y1(), b.classId()));
    }
    return out;
  }

  /**
   * Boxes clipped to the window {@code [x0, x1) x [y0, y1)}, keeping a box only if its clipped area is at least
   * {@code minArea} square pixels, positive, and at least {@code minVisible} of its area before clipping (a box
   * with no area before clipping is dropped).
   */
  public static List<Box> clip(List<Box> boxes, double x0, double y0, double x1, double y1, double minArea,
      double minVisible) {
    if (boxes == null) {
      return null;
    }
    List<Box> out = new ArrayList<>(boxes.size());
    for (Box b : boxes) {
      double before = (double) Math.max(0f, b.x2() - b.x1()) * Math.max(0f, b.y2() - b.y1());
      double cx1 = Math.max(b.x1(), x0);
      double cy1 = Math.max(b.y1(), y0);
      double cx2 = Math.min(b.x2(), x1);
      double cy2 = Math.min(b.y2(), y1);
      double after = Math.max(0, cx2 - cx1) * Math.max(0, cy2 - cy1);
      if (after > 0 && after >= minArea && before > 0 && after >= minVisible * before) {
        out.add(new Box((float) cx1, (float) cy1, (float) cx2, (float) cy2, b.classId()));
      }
    }
    return out;
  }

  /** Concatenation of two box lists ({@code null} only when both are {@code null}). */
  public static List<Box> concat(List<Box> a, List<Box> b) {
    if (a == null && b == null) {
      return null;
    }
    List<Box> out = new ArrayList<>();
    if (a != null) {
      out.addAll(a);
    }
    if (b != null) {
      out.addAll(b);
    }
    return out;
  }
}
