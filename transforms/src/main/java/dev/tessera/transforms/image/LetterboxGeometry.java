package dev.tessera.transforms.image;

import dev.tessera.transforms.geometry.Boxes;
import dev.tessera.transforms.sample.Box;
import java.util.List;

/**
 * Where a letterbox put the image: the original {@code width x height} was resized to
 * {@code resizedWidth x resizedHeight} and placed at {@code (padLeft, padTop)} on an {@code outSide} square. The
 * mapping of a point is {@code x' = x * resizedWidth / width + padLeft} (and likewise for y); {@link #unletterbox}
 * inverts it, so detections on the letterboxed image map back to the original.
 */
public record LetterboxGeometry(int width, int height, int resizedWidth, int resizedHeight, int padLeft,
    int padTop, int outSide) {

  public double scaleX() {
    return (double) resizedWidth / width;
  }

  public double scaleY() {
    return (double) resizedHeight / height;
  }

  /** Boxes of the original image in letterboxed coordinates. */
  public List<Box> letterbox(List<Box> boxes) {
    return Boxes.affine(boxes, scaleX(), scaleY(), padLeft, padTop);
  }

  /** Boxes of the letterboxed image (e.g. detections) in the original image's coordinates. */
  public List<Box> unletterbox(List<Box> boxes) {
    return Boxes.affine(boxes, 1 / scaleX(), 1 / scaleY(), -padLeft / scaleX(), -padTop / scaleY());
  }
}
