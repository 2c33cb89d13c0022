package dev.tessera.transforms.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Decodes test images to u8 RGB HWC with javax.imageio; grayscale is replicated to three channels. */
public final class TestImages {
  private TestImages() {}

  /** A decoded image. */
  public record Rgb(String name, byte[] hwc, int height, int width) {}

  /** The committed fixtures under src/test/resources/fixtures (always available). */
  public static List<Rgb> fixtures() {
    return Stream.of("bccd-00000-160x120.jpg", "bccd-00001-200x150.jpg", "bccd-00002-gray-120x90.jpg")
        .map(n -> {
          try (InputStream in = TestImages.class.getResourceAsStream("/fixtures/" + n)) {
            return decode(n, ImageIO.read(in));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .toList();
  }

  /**
   * The data mirror from {@code TESSERA_DATA_MIRROR} (CI sets it to the data folder beside the checkout), or
   * empty when unset or missing; tests that need it skip with that reason.
   */
  public static Optional<Path> mirror() {
    String dir = System.getenv("TESSERA_DATA_MIRROR");
    if (dir == null || dir.isBlank() || !Files.isDirectory(Paths.get(dir))) {
      return Optional.empty();
    }
    return Optional.of(Paths.get(dir));
  }

  /** The first {@code limit} JPEGs of a folder of the mirror, in name order. */
  public static List<Rgb> fromMirror(Path mirror, String folder, int limit) throws IOException {
    try (Stream<Path> files = Files.list(mirror.resolve(folder))) {
      return files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(limit).map(p -> {
        try {
          return decode(p.getFileName().toString(), ImageIO.read(p.toFile()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    }
  }

  static Rgb decode(String name, BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] hwc = new byte[w * h * 3];
    Raster raster = img.getRaster();
    if (raster.getNumBands() == 1) {
      int[] gray = raster.getSamples(0, 0, w, h, 0, (int[]) null);
      for (int i = 0; i < gray.length; i++) {
        hwc[3 * i] = hwc[3 * i + 1] = hwc[3 * i + 2] = (byte) gray[i];
      }
    } else {
      int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
      for (int i = 0; i < argb.length; i++) {
        hwc[3 * i] = (byte) (argb[i] >> 16);
        hwc[3 * i + 1] = (byte) (argb[i] >> 8);
        hwc[3 * i + 2] = (byte) argb[i];
      }
    }
    return new Rgb(name, hwc, h, w);
  }
}
