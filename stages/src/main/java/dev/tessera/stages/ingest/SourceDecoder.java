package dev.tessera.stages.ingest;

import dev.tessera.transforms.sample.Box;
import dev.tessera.transforms.sample.DType;
import dev.tessera.transforms.sample.Layout;
import dev.tessera.transforms.sample.Sample;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link SourceItem} into a uint8 HWC RGB {@link Sample} (with its class-index mask for
 * {@link SourceFormat#MASKS}), checking everything: the image decodes
 * completely, the annotation parses, the annotation's image size matches, and every box lies inside the image with
 * a positive area. A bad box is left out of the sample and reported; anything else bad rejects the whole item.
 *
 * <p>Boxes up to {@value #EDGE_TOLERANCE} pixel outside the image are clipped to it (converters round normalized
 * coordinates); boxes further outside are bad. Serializable: a worker builds one per {@code DoFn}.
 *
 * @param classIndex class name to class id, for annotations that name classes (VOC)
 * @param keepEncoded whether samples keep their original encoded bytes
 */
public record SourceDecoder(Map<String, Integer> classIndex, boolean keepEncoded) implements Serializable {
  private static final long serialVersionUID = 1L;
  static final float EDGE_TOLERANCE = 1f;

  public SourceDecoder {
    classIndex = Map.copyOf(classIndex);
  }

  /** The decoded sample and the boxes left out of it. */
  public record Decoded(Sample sample, List<DeadLetter> droppedBoxes) {}

  /** Decodes one item (not a {@link SourceFormat#SHARDS} item); a {@link BadInputException} says why it cannot. */
  public Decoded decode(SourceItem item) throws BadInputException {
    if (item.problem() != null) {
      throw new BadInputException(item.problem());
    }
    if (item.image() == null) {
      throw new BadInputException("no image file");
    }
    byte[] encoded;
    try {
      encoded = Files.readAllBytes(Path.of(item.image()));
    } catch (NoSuchFileException e) {
      throw new BadInputException("image file " + item.image() + " is missing");
    } catch (IOException e) {
      throw new BadInputException("cannot read image file " + item.image() + ": " + e.getMessage(), e);
    }
    ImageDecoding.Rgb rgb = ImageDecoding.decodeRgb(encoded);
    List<Box> raw = switch (item.format()) {
      case COCO -> quintuples(item.boxes());
      case VOC -> VocAnnotation.parse(read(item.annotation()), classIndex, rgb.width(), rgb.height());
      case YOLO -> item.annotation() == null ? List.of()
          : YoloLabels.parse(read(item.annotation()), rgb.width(), rgb.height(), classIndex.size());
      case IMAGE_FOLDER, MASKS -> null;
      default -> throw new IllegalArgumentException("item '" + item.id() + "': format " + item.format()
          + " is not decoded per image");
    };
    List<Box> boxes = null;
    List<DeadLetter> dropped = new ArrayList<>();
    if (raw != null) {
      boxes = new ArrayList<>();
      for (int i = 0; i < raw.size(); i++) {
        Box box = clipWithinTolerance(raw.get(i), rgb.width(), rgb.height());
        String problem = box.classId() < 0 && Float.isFinite(box.x1())
            ? "box " + box + " names a class that is not in the dataset's class list " + classIndex.keySet()
            : box.problem(rgb.width(), rgb.height());
        if (problem == null) {
          boxes.add(box);
        } else {
          dropped.add(DeadLetter.box(item.id(), item.source() + " box #" + i, problem));
        }
      }
    }
    byte[] mask = item.format() == SourceFormat.MASKS && item.annotation() != null
        ? MaskPairs.decode(readBytes(item.annotation()), item.annotation(), rgb.width(), rgb.height()) : null;
    Sample sample = new Sample(item.id(), rgb.pixels(), rgb.height(), rgb.width(), 3, DType.UINT8, Layout.HWC,
        keepEncoded ? encoded : null, item.label(), boxes, mask, item.source(), item.split());
    return new Decoded(sample, dropped);
  }

  private static Box clipWithinTolerance(Box box, int width, int height) {
    if (!Float.isFinite(box.x1()) || !Float.isFinite(box.y1()) || !Float.isFinite(box.x2())
        || !Float.isFinite(box.y2())) {
      return box;
    }
    boolean nearlyInside = box.x1() >= -EDGE_TOLERANCE && box.y1() >= -EDGE_TOLERANCE
        && box.x2() <= width + EDGE_TOLERANCE && box.y2() <= height + EDGE_TOLERANCE;
    if (!nearlyInside) {
      return box;
    }
    return new Box(Math.max(0f, box.x1()), Math.max(0f, box.y1()), Math.min(width, box.x2()),
        Math.min(height, box.y2()), box.classId());
  }

  private static List<Box> quintuples(float[] values) {
    List<Box> boxes = new ArrayList<>();
    if (values != null) {
      for (int i = 0; i < values.length; i += 5) {
        boxes.add(new Box(values[i], values[i + 1], values[i + 2], values[i + 3], (int) values[i + 4]));
      }
    }
    return boxes;
  }

  private static byte[] readBytes(String file) throws BadInputException {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new BadInputException("annotation file " + file + " is missing");
    } catch (IOException e) {
      throw new BadInputException("cannot read annotation file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String read(String file) throws BadInputException {
    if (file == null) {
      throw new BadInputException("no annotation file");
    }
    return new String(readBytes(file), StandardCharsets.UTF_8);
  }
}
