package dev.tessera.stages.ingest;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Segmentation pairs: an image and a mask PNG of the same name ({@code <images>/<name>.png} with
 * {@code <masks>/<name>.png}), planned as {@link SourceFormat#MASKS} items and decoded into a sample whose mask is a
 * uint8 class-index plane ({@code height * width} bytes, row-major).
 *
 * <p>Binary masks: a mask pixel {@code >= }{@value #THRESHOLD} becomes class 1, a darker one class 0. For the
 * ISBI 2012 membranes ({@code isbi-membrane}) the label PNGs hold 0 on membranes and 255 inside cells, so class
 * 0 is {@code membrane} and class 1 is {@code cell} ({@link #ISBI_CLASSES}), as in the upstream repository, whose
 * training code divides the label by 255.
 */
public final class MaskPairs {
  /** The first gray level counted as class 1 when a mask is binarized. */
  public static final int THRESHOLD = 128;

  /** The classes of {@code isbi-membrane}, index = class in the mask: 0 membrane (black), 1 cell (white). */
  public static final List<String> ISBI_CLASSES = List.of("membrane", "cell");

  private MaskPairs() {}

  /**
   * The catalog's {@code isbi-membrane}: split {@code train} from {@code membrane/train/image} with masks from
   * {@code membrane/train/label}, split {@code test} from {@code membrane/test} without masks (unlabeled).
   */
  public static SourcePlan isbi(String dataset, Path root) throws IOException {
    List<SourceItem> items = new ArrayList<>(
        items(dataset, "train", root.resolve("membrane/train/image"), root.resolve("membrane/train/label")));
    items.addAll(items(dataset, "test", root.resolve("membrane/test"), null));
    return new SourcePlan(ISBI_CLASSES, items, Map.of());
  }

  /**
   * A local folder of pairs, {@code <root>/image/*} with masks in {@code <root>/label/*} (split {@code train}), with
   * two classes: {@code background} (dark mask pixels) and {@code foreground}.
   */
  public static SourcePlan folder(String dataset, Path root) throws IOException {
    return new SourcePlan(List.of("background", "foreground"),
        items(dataset, "train", root.resolve("image"), root.resolve("label")), Map.of());
  }

  /**
   * One item per image of {@code imageDir}, its mask the file of the same name in {@code maskDir} (or none when
   * {@code maskDir} is null). A mask without an image, or an image without its mask, is an item with a problem.
   */
  static List<SourceItem> items(String dataset, String split, Path imageDir, Path maskDir) throws IOException {
    if (!Files.isDirectory(imageDir)) {
      throw new IOException("image folder " + imageDir + " does not exist; a mask dataset needs image files there");
    }
    Map<String, Path> masks = new HashMap<>();
    if (maskDir != null) {
      for (Path mask : SourcePlans.list(maskDir)) {
        if (SourcePlans.isImage(mask)) {
          masks.put(SourcePlans.stem(mask.getFileName().toString()), mask);
        }
      }
    }
    List<SourceItem> items = new ArrayList<>();
    for (Path image : SourcePlans.list(imageDir)) {
      if (!SourcePlans.isImage(image)) {
        continue;
      }
      String name = SourcePlans.stem(image.getFileName().toString());
      String id = dataset + "/" + split + "/" + name;
      Path mask = masks.remove(name);
      if (maskDir != null && mask == null) {
        items.add(SourceItem.bad(id, split, image.toString(), SourceFormat.MASKS, "no mask " + name + ".* in "
            + maskDir));
      } else {
        items.add(new SourceItem(id, split, image.toString(), mask == null ? null : mask.toString(),
            SourceFormat.MASKS, null, null, null));
      }
    }
    for (Map.Entry<String, Path> orphan : new java.util.TreeMap<>(masks).entrySet()) {
      items.add(SourceItem.bad(dataset + "/" + split + "/" + orphan.getKey(), split, orphan.getValue().toString(),
          SourceFormat.MASKS, "mask without an image of the same name in " + imageDir));
    }
    return items;
  }

  /**
   * Decodes a one-channel mask image of {@code width x height} into class indices: {@code >= THRESHOLD} is 1, else
   * 0.
   *
   * @throws BadInputException when it does not decode, has more than one channel or another size than the image
   */
  static byte[] decode(byte[] encoded, String file, int width, int height) throws BadInputException {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(encoded));
    } catch (IOException | RuntimeException e) {
      throw new BadInputException("corrupt mask " + file + ": " + e.getMessage(), e);
    }
    if (image == null) {
      throw new BadInputException("mask " + file + " is not a decodable image");
    }
    if (image.getRaster().getNumBands() != 1) {
      throw new BadInputException("mask " + file + " has " + image.getRaster().getNumBands() + " channels; a mask "
          + "must be a one-channel (grayscale) image");
    }
    if (image.getWidth() != width || image.getHeight() != height) {
      throw new BadInputException("mask " + file + " is " + image.getWidth() + "x" + image.getHeight()
          + ", but its image is " + width + "x" + height + " (WxH); they must match");
    }
    int[] gray = image.getRaster().getSamples(0, 0, width, height, 0, (int[]) null);
    int shift = Math.max(0, image.getRaster().getSampleModel().getSampleSize(0) - 8);
    byte[] mask = new byte[gray.length];
    for (int i = 0; i < gray.length; i++) {
      mask[i] = (byte) ((gray[i] >> shift) >= THRESHOLD ? 1 : 0);
    }
    return mask;
  }
}
