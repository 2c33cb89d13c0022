package dev.tessera.transforms.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One sample: an image as raw pixel bytes with its shape, plus whatever annotations it carries
 * (docs/ARCHITECTURE.md, "Data").
 *
 * <p>{@code pixels} holds {@code height * width * channels} elements of {@code dtype} in {@code layout} order:
 * one byte per element for {@link DType#UINT8}, four little-endian bytes (an IEEE float32) for
 * {@link DType#FLOAT32}. The arrays are not copied: a sample is immutable by convention, so never modify an array
 * after handing it to a sample or after reading it from one (Beam's DirectRunner checks this). {@link #equals},
 * {@link #hashCode} and {@link #toString} look at array contents.
 *
 * @param id stable id, {@code <dataset>/<split>/<index>} such as {@code mnist/train/00042}
 * @param pixels raw pixel bytes, see above
 * @param height image height in pixels, > 0
 * @param width image width in pixels, > 0
 * @param channels channels per pixel, > 0 (1 gray, 3 RGB)
 * @param dtype element type of {@code pixels}
 * @param layout element order of {@code pixels}
 * @param encoded the original encoded file bytes (PNG, JPEG), or {@code null}
 * @param label class index for classification, >= 0, or {@code null}
 * @param boxes boxes in pixel coordinates of this image; {@code null} when the sample has no box annotation
 *     (classification), an empty list for an annotated image without objects
 * @param mask segmentation mask, one byte per pixel ({@code height * width} bytes, row-major), or {@code null}
 * @param source where the sample came from (file and index, URL), for error messages and provenance
 * @param split the split it belongs to, such as {@code train} or {@code test}
 */
public record Sample(
    String id,
    byte[] pixels,
    int height,
    int width,
    int channels,
    DType dtype,
    Layout layout,
    byte[] encoded,
    Integer label,
    List<Box> boxes,
    byte[] mask,
    String source,
    String split) {

  public Sample {
    Objects.requireNonNull(id, "sample.id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("sample.id must not be blank");
    }
    Objects.requireNonNull(pixels, () -> "sample '" + id + "': pixels must not be null");
    Objects.requireNonNull(dtype, () -> "sample '" + id + "': dtype must not be null");
    Objects.requireNonNull(layout, () -> "sample '" + id + "': layout must not be null");
    Objects.requireNonNull(source, () -> "sample '" + id + "': source must not be null");
    Objects.requireNonNull(split, () -> "sample '" + id + "': split must not be null");
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException("sample '" + id + "': height, width and channels must be positive, but were "
          + height + "x" + width + "x" + channels);
    }
    long expected = (long) height * width * channels * dtype.bytesPerElement();
    if (pixels.length != expected) {
      throw new IllegalArgumentException("sample '" + id + "': pixels has " + pixels.length + " bytes, but "
          + height + "x" + width + "x" + channels + " " + dtype.id() + " needs " + expected
          + " (height * width * channels * " + dtype.bytesPerElement() + ")");
    }
    if (label != null && label < 0) {
      throw new IllegalArgumentException("sample '" + id + "': label must be >= 0 (a class index), but was " + label);
    }
    if (mask != null && mask.length != (long) height * width) {
      throw new IllegalArgumentException("sample '" + id + "': mask has " + mask.length + " bytes, but a "
          + height + "x" + width + " image needs " + (long) height * width + " (one byte per pixel)");
    }
    boxes = boxes == null ? null : List.copyOf(boxes);
  }

  /** A uint8 classification sample without encoded bytes, boxes or mask. */
  public static Sample ofUint8(
      String id, byte[] pixels, int height, int width, int channels, Layout layout, Integer label,
      String source, String split) {
    return new Sample(id, pixels, height, width, channels, DType.UINT8, layout, null, label, null, null, source,
        split);
  }

  /** The number of elements: {@code height * width * channels}. */
  public int elementCount() {
    return height * width * channels;
  }

  /**
   * The pixel elements as floats, in {@code layout} order: uint8 values become 0..255 (not scaled), float32 values
   * are returned as stored. Always a new array.
   */
  public float[] floatPixels() {
    float[] out = new float[elementCount()];
    if (dtype == DType.UINT8) {
      for (int i = 0; i < out.length; i++) {
        out[i] = pixels[i] & 0xFF;
      }
    } else {
      ByteBuffer.wrap(pixels).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    }
    return out;
  }

  /** This sample with other pixels of another shape, dtype or layout; annotations are kept as they are. */
  public Sample withPixels(byte[] newPixels, int newHeight, int newWidth, int newChannels, DType newDtype,
      Layout newLayout) {
    return new Sample(id, newPixels, newHeight, newWidth, newChannels, newDtype, newLayout, encoded, label, boxes,
        mask, source, split);
  }

  /** This sample with float32 pixels (stored little-endian) of the given shape and layout. */
  public Sample withPixels(float[] newPixels, int newHeight, int newWidth, int newChannels, Layout newLayout) {
    ByteBuffer bytes = ByteBuffer.allocate(newPixels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(newPixels);
    return withPixels(bytes.array(), newHeight, newWidth, newChannels, DType.FLOAT32, newLayout);
  }

  /** This sample with other boxes (for example after a resize), or {@code null} for none. */
  public Sample withBoxes(List<Box> newBoxes) {
    return new Sample(id, pixels, height, width, channels, dtype, layout, encoded, label, newBoxes, mask, source,
        split);
  }

  /** This sample with another mask ({@code height * width} bytes), or {@code null} for none. */
  public Sample withMask(byte[] newMask) {
    return new Sample(id, pixels, height, width, channels, dtype, layout, encoded, label, boxes, newMask, source,
        split);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s
        && height == s.height && width == s.width && channels == s.channels
        && id.equals(s.id) && dtype == s.dtype && layout == s.layout
        && Arrays.equals(pixels, s.pixels) && Arrays.equals(encoded, s.encoded)
        && Objects.equals(label, s.label) && Objects.equals(boxes, s.boxes) && Arrays.equals(mask, s.mask)
        && source.equals(s.source) && split.equals(s.split);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(id, height, width, channels, dtype, layout, label, boxes, source, split);
    h = 31 * h + Arrays.hashCode(pixels);
    h = 31 * h + Arrays.hashCode(encoded);
    return 31 * h + Arrays.hashCode(mask);
  }

  @Override
  public String toString() {
    return "Sample[" + id + ", " + height + "x" + width + "x" + channels + " " + dtype.id() + " " + layout
        + (label == null ? "" : ", label=" + label)
        + (boxes == null ? "" : ", " + boxes.size() + " boxes")
        + (encoded == null ? "" : ", encoded=" + encoded.length + " bytes")
        + (mask == null ? "" : ", mask")
        + ", source=" + source + ", split=" + split + "]";
  }
}
