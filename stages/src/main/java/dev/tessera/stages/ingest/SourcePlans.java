package dev.tessera.stages.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Plans ingest of the common detection and classification layouts: lists every sample of a dataset on disk as a
 * {@link SourceItem}, without decoding images. Whatever is already known to be wrong (an annotation referencing a
 * missing image, a label file without an image) becomes an item with a problem, so it reaches the dead-letter
 * output like any other bad input. Sample ids are {@code <dataset>/<split>/<file name without extension>}.
 */
public final class SourcePlans {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  private SourcePlans() {}

  /**
   * COCO JSON: images from {@code annotations.images} (found in {@code imageDir} by {@code file_name}), boxes
   * {@code [x, y, w, h]} as {@code [x, y, x + w, y + h]}, category ids mapped to contiguous class ids in id order
   * with their names. Crowd annotations ({@code iscrowd=1}) are left out and counted in
   * {@code crowd_boxes_skipped}. Example: {@code SourcePlans.coco("coco128", json, images, "train")}.
   */
  public static SourcePlan coco(String dataset, Path annotations, Path imageDir, String split) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(annotations, StandardCharsets.UTF_8));
    TreeMap<Integer, String> categories = new TreeMap<>();
    for (JsonNode category : root.path("categories")) {
      categories.put(category.path("id").asInt(), category.path("name").asText());
    }
    Map<Integer, Integer> classOf = new HashMap<>();
    List<String> classes = new ArrayList<>();
    categories.forEach((id, name) -> {
      classOf.put(id, classes.size());
      classes.add(name);
    });
    Map<Long, List<Float>> boxes = new HashMap<>();
    List<SourceItem> items = new ArrayList<>();
    long crowd = 0;
    Map<Long, JsonNode> images = new LinkedHashMap<>();
    for (JsonNode image : root.path("images")) {
      images.put(image.path("id").asLong(), image);
    }
    for (JsonNode annotation : root.path("annotations")) {
      if (annotation.path("iscrowd").asInt(0) == 1) {
        crowd++;
        continue;
      }
      long imageId = annotation.path("image_id").asLong();
      JsonNode bbox = annotation.path("bbox");
      if (!images.containsKey(imageId)) {
        items.add(SourceItem.bad(dataset + "/" + split + "/annotation-" + annotation.path("id").asText(), split,
            annotations + " annotation id " + annotation.path("id").asText(), SourceFormat.COCO,
            "annotation refers to image id " + imageId + ", which the file does not list"));
        continue;
      }
      List<Float> list = boxes.computeIfAbsent(imageId, k -> new ArrayList<>());
      if (!bbox.isArray() || bbox.size() != 4) {
        // Kept as a non-finite box so that it is reported against its image as a bad box.
        list.addAll(List.of(Float.NaN, Float.NaN, Float.NaN, Float.NaN, 0f));
        continue;
      }
      float x = (float) bbox.get(0).asDouble();
      float y = (float) bbox.get(1).asDouble();
      list.addAll(List.of(x, y, x + (float) bbox.get(2).asDouble(), y + (float) bbox.get(3).asDouble(),
          (float) classOf.getOrDefault(annotation.path("category_id").asInt(), -1)));
    }
    for (Map.Entry<Long, JsonNode> image : images.entrySet()) {
      String fileName = image.getValue().path("file_name").asText();
      String id = dataset + "/" + split + "/" + stem(fileName);
      Path file = imageDir.resolve(fileName);
      if (!Files.isRegularFile(file)) {
        items.add(SourceItem.bad(id, split, file.toString(), SourceFormat.COCO, "image file " + file
            + " is referenced by " + annotations.getFileName() + " (image id " + image.getKey() + ") but missing"));
        continue;
      }
      List<Float> values = boxes.getOrDefault(image.getKey(), List.of());
      float[] array = new float[values.size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = values.get(i);
      }
      items.add(new SourceItem(id, split, file.toString(), null, SourceFormat.COCO, null, array, null));
    }
    return new SourcePlan(classes, items, Map.of("crowd_boxes_skipped", crowd));
  }

  /**
   * Pascal VOC: splits from {@code ImageSets/Main/{train,val,test}.txt} when present (an image in none of them is
   * counted in {@code not_in_split}), otherwise every annotation as {@code train}; images in {@code JPEGImages},
   * annotations in {@code Annotations}. Classes as given, or the sorted object names of all annotations when
   * {@code classes} is empty. Example: {@code SourcePlans.voc("bccd", root, List.of("RBC", "WBC", "Platelets"))}.
   */
  public static SourcePlan voc(String dataset, Path root, List<String> classes) throws IOException {
    Path annotations = root.resolve("Annotations");
    Path images = root.resolve("JPEGImages");
    Path sets = root.resolve("ImageSets/Main");
    Map<String, String> splitOf = new TreeMap<>();
    List<SourceItem> items = new ArrayList<>();
    for (String split : List.of("train", "val", "test")) {
      Path list = sets.resolve(split + ".txt");
      if (Files.isRegularFile(list)) {
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
          String name = line.strip();
          if (!name.isEmpty()) {
            String previous = splitOf.putIfAbsent(name, split);
            if (previous != null && !previous.equals(split)) {
              items.add(SourceItem.bad(dataset + "/" + split + "/" + name, split, list.toString(), SourceFormat.VOC,
                  "listed in both " + previous + ".txt and " + split + ".txt"));
            }
          }
        }
      }
    }
    List<String> stems = new ArrayList<>();
    for (Path file : list(annotations)) {
      if (file.getFileName().toString().endsWith(".xml")) {
        stems.add(stem(file.getFileName().toString()));
      }
    }
    long notInSplit = 0;
    Set<String> seen = new TreeSet<>();
    boolean splitFiles = !splitOf.isEmpty();
    for (String stem : stems) {
      String split = splitFiles ? splitOf.get(stem) : "train";
      if (split == null) {
        notInSplit++;
        continue;
      }
      seen.add(stem);
      items.add(vocItem(dataset, split, stem, images, annotations.resolve(stem + ".xml")));
    }
    for (Map.Entry<String, String> listed : splitOf.entrySet()) {
      if (!seen.contains(listed.getKey())) {
        items.add(SourceItem.bad(dataset + "/" + listed.getValue() + "/" + listed.getKey(), listed.getValue(),
            annotations.resolve(listed.getKey() + ".xml").toString(), SourceFormat.VOC,
            "listed in ImageSets/Main/" + listed.getValue() + ".txt, but has no annotation file"));
      }
    }
    List<String> names = classes.isEmpty() ? discoverVocClasses(items) : classes;
    Map<String, Long> notes = new LinkedHashMap<>();
    if (notInSplit > 0) {
      notes.put("not_in_split", notInSplit);
    }
    return new SourcePlan(names, items, notes);
  }

  private static SourceItem vocItem(String dataset, String split, String stem, Path images, Path annotation) {
    String id = dataset + "/" + split + "/" + stem;
    for (String extension : List.of(".jpg", ".jpeg", ".png", ".JPG", ".PNG")) {
      Path image = images.resolve(stem + extension);
      if (Files.isRegularFile(image)) {
        return new SourceItem(id, split, image.toString(), annotation.toString(), SourceFormat.VOC, null, null, null);
      }
    }
    return SourceItem.bad(id, split, annotation.toString(), SourceFormat.VOC,
        "image " + images.resolve(stem + ".jpg") + " named by annotation " + annotation.getFileName() + " is missing");
  }

  private static List<String> discoverVocClasses(List<SourceItem> items) {
    Set<String> names = new TreeSet<>();
    for (SourceItem item : items) {
      if (item.problem() == null) {
        try {
          names.addAll(VocAnnotation.names(Files.readString(Path.of(item.annotation()), StandardCharsets.UTF_8)));
        } catch (BadInputException | IOException e) {
          // The worker reads the file again and sends it to the dead-letter output with the reason.
        }
      }
    }
    return List.copyOf(names);
  }

  /**
   * YOLO txt: every image in {@code imageDir} with the label file of the same name in {@code labelDir}. An image
   * without a label file is kept as an image without objects and counted in {@code unlabeled_images}; a label file
   * without an image goes to the dead-letter output. Class ids index {@code classes} (empty: not checked).
   */
  public static SourcePlan yolo(String dataset, Path imageDir, Path labelDir, String split, List<String> classes)
      throws IOException {
    Map<String, Path> images = new TreeMap<>();
    for (Path file : list(imageDir)) {
      if (isImage(file)) {
        images.put(stem(file.getFileName().toString()), file);
      }
    }
    Map<String, Path> labels = new TreeMap<>();
    for (Path file : list(labelDir)) {
      if (file.getFileName().toString().endsWith(".txt")) {
        labels.put(stem(file.getFileName().toString()), file);
      }
    }
    List<SourceItem> items = new ArrayList<>();
    long unlabeled = 0;
    for (Map.Entry<String, Path> image : images.entrySet()) {
      Path label = labels.get(image.getKey());
      if (label == null) {
        unlabeled++;
      }
      items.add(new SourceItem(dataset + "/" + split + "/" + image.getKey(), split, image.getValue().toString(),
          label == null ? null : label.toString(), SourceFormat.YOLO, null, null, null));
    }
    for (Map.Entry<String, Path> label : labels.entrySet()) {
      if (!images.containsKey(label.getKey())) {
        items.add(SourceItem.bad(dataset + "/" + split + "/" + label.getKey(), split, label.getValue().toString(),
            SourceFormat.YOLO, "label file " + label.getValue().getFileName() + " has no image "
                + label.getKey() + ".* in " + imageDir));
      }
    }
    return new SourcePlan(classes, items, Map.of("unlabeled_images", unlabeled));
  }

  /**
   * Image folders: {@code root/<class>/<image>} (split {@code train}), or {@code root/<split>/<class>/<image>} when
   * {@code root} holds {@code train}, {@code val} or {@code test} folders. Classes are the sorted folder names,
   * label = index; ids are {@code <dataset>/<split>/<class>/<name>}.
   */
  public static SourcePlan imageFolder(String dataset, Path root) throws IOException {
    Map<String, Path> splits = new TreeMap<>();
    for (String split : List.of("train", "val", "test")) {
      if (Files.isDirectory(root.resolve(split))) {
        splits.put(split, root.resolve(split));
      }
    }
    if (splits.isEmpty()) {
      splits.put("train", root);
    }
    Set<String> classNames = new TreeSet<>();
    for (Path dir : splits.values()) {
      for (Path child : list(dir)) {
        if (Files.isDirectory(child)) {
          classNames.add(child.getFileName().toString());
        }
      }
    }
    List<String> classes = List.copyOf(classNames);
    List<SourceItem> items = new ArrayList<>();
    for (Map.Entry<String, Path> split : splits.entrySet()) {
      for (int label = 0; label < classes.size(); label++) {
        for (Path file : list(split.getValue().resolve(classes.get(label)))) {
          if (isImage(file)) {
            items.add(new SourceItem(dataset + "/" + split.getKey() + "/" + classes.get(label) + "/"
                + stem(file.getFileName().toString()), split.getKey(), file.toString(), null,
                SourceFormat.IMAGE_FOLDER, label, null, null));
          }
        }
      }
    }
    return new SourcePlan(classes, items, Map.of());
  }

  /**
   * A COCO folder: every {@code annotations/instances_<split>.json} (or {@code annotations/<split>.json}) with its
   * images in {@code images/<split>/}, {@code <split>/} or {@code images/}; the class list is the first file's.
   */
  public static SourcePlan cocoFolder(String dataset, Path root) throws IOException {
    List<String> classes = null;
    List<SourceItem> items = new ArrayList<>();
    Map<String, Long> notes = new LinkedHashMap<>();
    for (Path json : list(root.resolve("annotations"))) {
      String name = json.getFileName().toString();
      if (!name.endsWith(".json")) {
        continue;
      }
      String split = stem(name).replaceFirst("^instances_", "").replaceFirst("\\d{4}$", "");
      Path images = Stream.of(root.resolve("images/" + split), root.resolve(split), root.resolve("images"))
          .filter(Files::isDirectory).findFirst().orElse(root.resolve("images/" + split));
      SourcePlan plan = coco(dataset, json, images, split);
      classes = classes == null ? plan.classes() : classes;
      items.addAll(plan.items());
      plan.notes().forEach((k, v) -> notes.merge(k, v, Long::sum));
    }
    return new SourcePlan(classes == null ? List.of() : classes, items, notes);
  }

  /**
   * A YOLO folder: {@code images/<split>/} with {@code labels/<split>/} for each split folder; class names from
   * {@code classes.txt} (one per line) when present.
   */
  public static SourcePlan yoloFolder(String dataset, Path root) throws IOException {
    Path namesFile = root.resolve("classes.txt");
    List<String> classes = Files.isRegularFile(namesFile)
        ? Files.readAllLines(namesFile, StandardCharsets.UTF_8).stream().map(String::strip)
            .filter(n -> !n.isEmpty()).toList()
        : List.of();
    List<SourceItem> items = new ArrayList<>();
    Map<String, Long> notes = new LinkedHashMap<>();
    for (Path dir : list(root.resolve("images"))) {
      if (Files.isDirectory(dir)) {
        String split = dir.getFileName().toString();
        SourcePlan plan = yolo(dataset, dir, root.resolve("labels").resolve(split), split, classes);
        items.addAll(plan.items());
        plan.notes().forEach((k, v) -> notes.merge(k, v, Long::sum));
      }
    }
    return new SourcePlan(classes, items, notes);
  }

  /** The layout of a local folder: VOC, COCO, YOLO or image folders (see {@link SourceFormat}). */
  public static SourceFormat detect(Path root) {
    if (Files.isRegularFile(root.resolve("shards.json"))) {
      return SourceFormat.SHARDS;
    }
    if (Files.isDirectory(root.resolve("Annotations"))) {
      return SourceFormat.VOC;
    }
    if (Files.isDirectory(root.resolve("annotations"))) {
      return SourceFormat.COCO;
    }
    if (Files.isDirectory(root.resolve("labels")) && Files.isDirectory(root.resolve("images"))) {
      return SourceFormat.YOLO;
    }
    return SourceFormat.IMAGE_FOLDER;
  }

  /** {@code name} without its last extension. */
  static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && Files.isRegularFile(file)
        && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The entries of a directory, sorted by name; empty when it does not exist. */
  static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
