package dev.tessera.stages.detection.coco;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and writes COCO ground-truth files ({@code images}, {@code categories}, {@code annotations} with
 * {@code bbox: [x, y, width, height]}) and COCO result files ({@code [{image_id, category_id, bbox, score}]}).
 *
 * <p>A ground-truth annotation without {@code area} gets its box's area; without {@code iscrowd}, 0. Other
 * fields (segmentation, licenses, info) are ignored. Every failure is a {@link CocoFormatException} naming the
 * file and the entry at fault.
 */
public final class CocoJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CocoJson() {}

  /** Reads a ground-truth file. */
  public static CocoGroundTruth readGroundTruth(Path file) {
    JsonNode root = parse(file);
    if (!root.isObject()) {
      throw new CocoFormatException(file, "a COCO ground-truth file is a JSON object with images, categories and"
          + " annotations, but this one holds " + kind(root) + ".", null);
    }
    List<CocoImage> images = new ArrayList<>();
    for (JsonNode n : array(file, root, "images")) {
      String at = "images[" + images.size() + "]";
      images.add(new CocoImage(longField(file, n, "id", at), n.path("file_name").asText(""),
          n.path("width").asInt(0), n.path("height").asInt(0)));
    }
    List<CocoCategory> categories = new ArrayList<>();
    for (JsonNode n : array(file, root, "categories")) {
      String at = "categories[" + categories.size() + "]";
      categories.add(new CocoCategory(intField(file, n, "id", at), n.path("name").asText("")));
    }
    List<CocoAnnotation> annotations = new ArrayList<>();
    for (JsonNode n : array(file, root, "annotations")) {
      String at = "annotations[" + annotations.size() + "]";
      double[] b = bbox(file, n, at);
      double area = n.has("area") ? number(file, n, "area", at) : b[2] * b[3];
      annotations.add(new CocoAnnotation(longField(file, n, "id", at), longField(file, n, "image_id", at),
          intField(file, n, "category_id", at), b[0], b[1], b[2], b[3], area, n.path("iscrowd").asInt(0) != 0));
    }
    try {
      return new CocoGroundTruth(images, categories, annotations);
    } catch (IllegalArgumentException e) {
      throw new CocoFormatException(file, e.getMessage(), e);
    }
  }

  /** Reads a result file: a JSON array of detections. */
  public static List<CocoDetection> readDetections(Path file) {
    JsonNode root = parse(file);
    if (!root.isArray()) {
      throw new CocoFormatException(file, "a COCO result file is a JSON array of {image_id, category_id, bbox,"
          + " score}, but this one holds " + kind(root) + ".", null);
    }
    List<CocoDetection> out = new ArrayList<>();
    for (JsonNode n : root) {
      String at = "entry " + out.size();
      double[] b = bbox(file, n, at);
      out.add(new CocoDetection(longField(file, n, "image_id", at), intField(file, n, "category_id", at),
          b[0], b[1], b[2], b[3], number(file, n, "score", at)));
    }
    return out;
  }

  /** Writes a ground-truth file (no segmentations). */
  public static void writeGroundTruth(CocoGroundTruth gt, Path file) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode images = root.putArray("images");
    for (CocoImage i : gt.images()) {
      images.addObject().put("id", i.id()).put("file_name", i.fileName()).put("width", i.width())
          .put("height", i.height());
    }
    ArrayNode categories = root.putArray("categories");
    for (CocoCategory c : gt.categories()) {
      categories.addObject().put("id", c.id()).put("name", c.name());
    }
    ArrayNode annotations = root.putArray("annotations");
    for (CocoAnnotation a : gt.annotations()) {
      ObjectNode n = annotations.addObject().put("id", a.id()).put("image_id", a.imageId())
          .put("category_id", a.categoryId());
      n.putArray("bbox").add(a.x()).add(a.y()).add(a.width()).add(a.height());
      n.put("area", a.area()).put("iscrowd", a.crowd() ? 1 : 0);
    }
    MAPPER.writeValue(file.toFile(), root);
  }

  /** Writes a result file. */
  public static void writeDetections(List<CocoDetection> detections, Path file) throws IOException {
    ArrayNode root = MAPPER.createArrayNode();
    for (CocoDetection d : detections) {
      ObjectNode n = root.addObject().put("image_id", d.imageId()).put("category_id", d.categoryId());
      n.putArray("bbox").add(d.x()).add(d.y()).add(d.width()).add(d.height());
      n.put("score", d.score());
    }
    MAPPER.writeValue(file.toFile(), root);
  }

  private static JsonNode parse(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CocoFormatException(file, "no such file. Check the path.", null);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(file.toFile()); // streams: COCO files with segmentations run to hundreds of MB
    } catch (JsonProcessingException e) {
      throw new CocoFormatException(file, "not valid JSON: " + e.getOriginalMessage() + " (line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ").", e);
    } catch (IOException e) {
      throw new CocoFormatException(file, "cannot be read: " + e, e);
    }
    if (root == null || root.isMissingNode()) {
      throw new CocoFormatException(file, "the file is empty. Expected COCO JSON.", null);
    }
    return root;
  }

  private static JsonNode array(Path file, JsonNode root, String name) {
    JsonNode n = root.get(name);
    if (n == null || !n.isArray()) {
      throw new CocoFormatException(file, "'" + name + "' must be an array, but is "
          + (n == null ? "missing" : kind(n)) + ".", null);
    }
    return n;
  }

  private static String kind(JsonNode n) {
    String type = n.getNodeType().toString().toLowerCase(Locale.ROOT);
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  private static double[] bbox(Path file, JsonNode n, String at) {
    JsonNode b = n.get("bbox");
    if (b == null || !b.isArray() || b.size() != 4) {
      throw new CocoFormatException(file, at + ": 'bbox' must be [x, y, width, height], but is " + b + ".", null);
    }
    double[] out = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!b.get(i).isNumber()) {
        throw new CocoFormatException(file, at + ": 'bbox' must hold 4 numbers, but is " + b + ".", null);
      }
      out[i] = b.get(i).asDouble();
    }
    return out;
  }

  private static JsonNode required(Path file, JsonNode n, String field, String at) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new CocoFormatException(file, at + ": '" + field + "' must be a number, but is "
          + (v == null ? "missing" : v.toString()) + ".", null);
    }
    return v;
  }

  private static double number(Path file, JsonNode n, String field, String at) {
    return required(file, n, field, at).asDouble();
  }

  private static long longField(Path file, JsonNode n, String field, String at) {
    return required(file, n, field, at).asLong();
  }

  private static int intField(Path file, JsonNode n, String field, String at) {
    return required(file, n, field, at).asInt();
  }
}
