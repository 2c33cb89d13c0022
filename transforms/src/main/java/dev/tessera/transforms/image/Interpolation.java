package dev.tessera.transforms.image;

/** How {@link Resize} samples the source image; both follow OpenCV's {@code cv::resize}. */
public enum Interpolation {
  /** {@code INTER_LINEAR}: half-pixel centres, edge pixels clamped, rounded to the nearest level. */
  BILINEAR,
  /** {@code INTER_NEAREST}: source pixel {@code floor(x * srcW / dstW)}, no half-pixel shift. */
  NEAREST,
  /**
   * {@code INTER_NEAREST_EXACT} (torchvision's {@code nearest-exact}): source pixel
   * {@code floor((x + 0.5) * srcW / dstW)}, the pixel whose area holds the output pixel's centre. Its grid is the one
   * {@link #BILINEAR} samples, so a mask resized with it stays aligned with its image resized bilinearly (with
   * {@link #NEAREST} it moves by up to half a source pixel); the transforms resize masks with it.
   */
  NEAREST_EXACT;

  /**
   * How to resize a mask beside an image resized with this: {@link #NEAREST} keeps its own grid, the others map to
   * {@link #NEAREST_EXACT}, whose grid is the bilinear one. Labels never blend.
   */
  public Interpolation forMasks() {
    return this == NEAREST ? NEAREST : NEAREST_EXACT;
  }

  /**
   * The source index nearest-neighbour sampling takes for output index {@code x}, with {@code scale} = source size /
   * output size, clamped to {@code [0, size)}. Only for the two nearest modes.
   */
  int nearestSource(int x, double scale, int size) {
    double at = this == NEAREST_EXACT ? (x + 0.5) * scale : x * scale;
    return Math.min((int) Math.floor(at), size - 1);
  }
}
