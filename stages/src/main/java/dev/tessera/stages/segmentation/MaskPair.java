package dev.tessera.stages.segmentation;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The ground-truth and the predicted mask of one image: class indices, one byte per pixel, in the same pixel order.
 * The arrays are not copied: never modify them after handing them over.
 *
 * @param id the sample id, for error messages
 * @param actual the ground-truth class of every pixel
 * @param predicted the predicted class of every pixel, as many as {@code actual}
 */
public record MaskPair(String id, byte[] actual, byte[] predicted) implements Serializable {
  private static final long serialVersionUID = 1L;

  public MaskPair {
    if (actual == null || predicted == null || actual.length != predicted.length) {
      throw new IllegalArgumentException("mask pair '" + id + "': actual and predicted masks must have one class "
          + "per pixel each, but had " + (actual == null ? "null" : actual.length) + " and "
          + (predicted == null ? "null" : predicted.length) + " pixels");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MaskPair p && java.util.Objects.equals(id, p.id) && Arrays.equals(actual, p.actual)
        && Arrays.equals(predicted, p.predicted);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * java.util.Objects.hashCode(id) + Arrays.hashCode(actual)) + Arrays.hashCode(predicted);
  }

  @Override
  public String toString() {
    return "MaskPair[" + id + ", " + actual.length + " pixels]";
  }
}
