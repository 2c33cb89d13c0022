package dev.tessera.transforms.image;

import java.io.Serializable;

import java.util.Objects;

/**
 * Mosaic: four images on one {@code size x size} canvas around a random centre. Each image is resized keeping its
 * ratio so its longer side is {@code tileSide}: {@code size / 2} shows all four whole-ish at half scale;
 * {@code tileSide == size} keeps them at the scale a letterbox to {@code size} gives (YOLOv5's mosaic on a 2x
 * canvas seen through its canvas-sized window), so a detector trained on mosaics sees objects as large as in
 * letterboxed test images. Image 0 is placed with its
 * bottom-right corner at the centre, image 1 bottom-left, image 2 top-right, image 3 top-left, and everything
 * outside the canvas is cut off. The centre's coordinates are drawn uniformly from
 * {@code [centerMin * size, centerMax * size]}. Boxes are mapped with their image, clipped to the part of that
 * image that is visible, and dropped when the clipped box is smaller than {@code minBoxArea} square pixels or
 * keeps less than {@code minVisible} of its area.
 *
 * @param size canvas side in pixels, {@code 2..}{@link ResizeSpec#MAX_SIDE}
 * @param tileSide each image's longer side on the canvas, in pixels, {@code 1..2 size}
 * @param centerMin lower bound of the centre, as a fraction of {@code size}, in {@code [0, 1]}
 * @param centerMax upper bound, in {@code [centerMin, 1]}
 * @param padValue level of the canvas where no image lands, {@code 0..255}
 * @param minBoxArea smallest kept box area in square pixels, {@code >= 0}
 * @param minVisible smallest kept fraction of a box's area, in {@code [0, 1]}
 * @param interpolation how tiles are resized (masks with its {@link Interpolation#forMasks()}: never blended)
 */
public record MosaicSpec(int size, int tileSide, double centerMin, double centerMax, int padValue,
    double minBoxArea, double minVisible, Interpolation interpolation) implements Serializable {

  public MosaicSpec {
    if (size < 2 || size > ResizeSpec.MAX_SIDE) {
      throw new IllegalArgumentException("mosaic.size must be in 2.." + ResizeSpec.MAX_SIDE + " pixels, but was "
          + size + ".");
    }
    if (tileSide < 1 || tileSide > 2 * size) {
      throw new IllegalArgumentException("mosaic.tileSide must be in 1.." + (2 * size) + " pixels (twice "
          + "mosaic.size), but was " + tileSide + ". Use size / 2 for a half-scale mosaic, size for full scale.");
    }
    if (!(centerMin >= 0 && centerMin <= 1)) {
      throw new IllegalArgumentException("mosaic.centerMin must be in [0, 1], but was " + centerMin + ".");
    }
    if (!(centerMax >= centerMin && centerMax <= 1)) {
      throw new IllegalArgumentException("mosaic.centerMax must be in [" + centerMin + " (mosaic.centerMin), 1], "
          + "but was " + centerMax + ".");
    }
    if (padValue < 0 || padValue > 255) {
      throw new IllegalArgumentException("mosaic.padValue must be a u8 level in 0..255, but was " + padValue + ".");
    }
    if (!(minBoxArea >= 0) || !Double.isFinite(minBoxArea)) {
      throw new IllegalArgumentException("mosaic.minBoxArea must be >= 0 square pixels, but was " + minBoxArea
          + ".");
    }
    if (!(minVisible >= 0 && minVisible <= 1)) {
      throw new IllegalArgumentException("mosaic.minVisible must be in [0, 1], but was " + minVisible + ".");
    }
    Objects.requireNonNull(interpolation, "mosaic.interpolation must be BILINEAR or NEAREST, but was null.");
  }

  /**
   * YOLO-like defaults for a canvas of {@code size}: tiles of side {@code size / 2}, centre in [0.25, 0.75], pad 114,
   * boxes >= 2 px^2 and 20%.
   */
  public static MosaicSpec of(int size) {
    return new MosaicSpec(size, Math.max(1, size / 2), 0.25, 0.75, 114, 2, 0.2, Interpolation.BILINEAR);
  }

  public MosaicSpec withTileSide(int value) {
    return new MosaicSpec(size, value, centerMin, centerMax, padValue, minBoxArea, minVisible, interpolation);
  }

  public MosaicSpec withCenterRange(double min, double max) {
    return new MosaicSpec(size, tileSide, min, max, padValue, minBoxArea, minVisible, interpolation);
  }

  public MosaicSpec withPadValue(int value) {
    return new MosaicSpec(size, tileSide, centerMin, centerMax, value, minBoxArea, minVisible, interpolation);
  }

  public MosaicSpec withBoxFilter(double minArea, double minVisibleFraction) {
    return new MosaicSpec(size, tileSide, centerMin, centerMax, padValue, minArea, minVisibleFraction, interpolation);
  }

  public MosaicSpec withInterpolation(Interpolation value) {
    return new MosaicSpec(size, tileSide, centerMin, centerMax, padValue, minBoxArea, minVisible, value);
  }
}
