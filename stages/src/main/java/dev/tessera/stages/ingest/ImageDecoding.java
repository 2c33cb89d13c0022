package dev.tessera.stages.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes encoded images (JPEG, PNG, BMP, GIF) to uint8 HWC RGB, strictly: whatever the decoder warns about
 * (a truncated JPEG decodes to a gray-padded image with only a warning) is an error here. Ingest decodes with it,
 * and so does {@code tessera predict}, so a detector sees the same pixels in both.
 */
public final class ImageDecoding {
  private ImageDecoding() {}

  /** A decoded image: {@code height * width * 3} bytes, RGB, row-major. */
  public record Rgb(byte[] pixels, int height, int width, int sourceChannels) {}

  /**
   * Decodes to RGB. Gray images (one channel) become three equal channels; images with another channel count
   * (gray+alpha, RGBA, CMYK) are rejected, as are undecodable or truncated bytes.
   */
  public static Rgb decodeRgb(byte[] bytes) throws BadInputException {
    if (bytes.length == 0) {
      throw new BadInputException("image file is empty");
    }
    List<String> warnings = new ArrayList<>();
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new BadInputException("not a decodable image (no decoder recognizes its first bytes)");
      }
      ImageReader reader = readers.next();
      try {
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        reader.setInput(in, true, true);
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      // ImageIO reports corrupt data as IIOException, but also as IndexOutOfBounds or IllegalArgument.
      throw new BadInputException("corrupt image: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
    }
    if (!warnings.isEmpty()) {
      throw new BadInputException("corrupt or truncated image: the decoder warned " + warnings);
    }
    int bands = image.getRaster().getNumBands();
    if (bands != 1 && bands != 3) {
      throw new BadInputException("image has " + bands + " channels; ingest reads 1 (gray, converted to RGB) or 3 "
          + "(RGB)");
    }
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] pixels = new byte[height * width * 3];
    if (bands == 1 && !(image.getColorModel() instanceof java.awt.image.IndexColorModel)) {
      // Not getRGB: it would map the gray values through a linear-gray to sRGB conversion and change them.
      int[] gray = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
      int shift = Math.max(0, image.getRaster().getSampleModel().getSampleSize(0) - 8);
      for (int i = 0, o = 0; i < gray.length; i++) {
        byte v = (byte) (gray[i] >> shift);
        pixels[o++] = v;
        pixels[o++] = v;
        pixels[o++] = v;
      }
      return new Rgb(pixels, height, width, bands);
    }
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      int o = y * width * 3;
      for (int x = 0; x < width; x++) {
        int argb = row[x];
        pixels[o++] = (byte) (argb >> 16);
        pixels[o++] = (byte) (argb >> 8);
        pixels[o++] = (byte) argb;
      }
    }
    return new Rgb(pixels, height, width, bands);
  }
}
