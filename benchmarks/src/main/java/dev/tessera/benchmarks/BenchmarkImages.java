package dev.tessera.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Real BCCD images (640x480 RGB) decoded to u8 HWC, the input every kernel benchmark uses. */
final class BenchmarkImages {
  private BenchmarkImages() {}

  /** One decoded image: RGB bytes, HWC. */
  record Image(byte[] hwc, int height, int width) {}

  /**
   * The first {@code count} BCCD JPEGs under {@code $TESSERA_DATA_MIRROR/bccd/BCCD/JPEGImages}, in file-name
   * order.
   */
  static List<Image> bccd(int count) throws IOException {
    String mirror = System.getenv().getOrDefault("TESSERA_DATA_MIRROR", "");
    Path dir = Paths.get(mirror, "bccd", "BCCD", "JPEGImages");
    if (!Files.isDirectory(dir)) {
      throw new IOException("benchmark images not found: " + dir.toAbsolutePath() + " does not exist. Set "
          + "TESSERA_DATA_MIRROR to the offline data mirror (a folder holding bccd/ and coco128/; README, "
          + "'Useful environment').");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(count).toList();
    }
    List<Image> out = new ArrayList<>();
    for (Path f : files) {
      out.add(decode(f));
    }
    return out;
  }

  static Image decode(Path file) throws IOException {
    BufferedImage img = ImageIO.read(file.toFile());
    if (img == null) {
      throw new IOException("not a decodable image: " + file);
    }
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    byte[] hwc = new byte[w * h * 3];
    for (int i = 0; i < argb.length; i++) {
      hwc[3 * i] = (byte) (argb[i] >> 16);
      hwc[3 * i + 1] = (byte) (argb[i] >> 8);
      hwc[3 * i + 2] = (byte) argb[i];
    }
    return new Image(hwc, h, w);
  }
}
