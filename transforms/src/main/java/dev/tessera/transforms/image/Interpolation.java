package dev.tessera.transforms.image;

/** How {@link Resize} samples the source image; both follow OpenCV's {@code cv::resize}. */
public enum Interpolation {
  /** {@code INTER_LINEAR}: half-pixel centres, edge pixels clamped, rounded to the nearest level. */
  BILINEAR,
  /** {@code INTER_NEAREST}: source pixel {@code floor(x * srcW / dstW)}, no half-pixel shift. */
  NEAREST
}
