package dev.tessera.stages.detection.coco;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A COCO ground-truth set: images, categories and box annotations, indexed by image. Immutable. */
public final class CocoGroundTruth {
  private final List<CocoImage> images;
  private final List<CocoCategory> categories;
  private final List<CocoAnnotation> annotations;
  private final Map<Long, List<CocoAnnotation>> byImage = new LinkedHashMap<>();
  private final Set<Integer> categoryIds = new TreeSet<>();

  /**
   * A ground-truth set; every annotation's image must be among {@code images}.
   *
   * @throws IllegalArgumentException naming the first annotation whose image is missing, or a repeated image id
   */
  public CocoGroundTruth(List<CocoImage> images, List<CocoCategory> categories, List<CocoAnnotation> annotations) {
    this.images = List.copyOf(images);
    this.categories = List.copyOf(categories);
    this.annotations = List.copyOf(annotations);
    for (CocoImage image : images) {
      if (byImage.put(image.id(), new ArrayList<>()) != null) {
        throw new IllegalArgumentException("image id " + image.id() + " appears twice in images. Give each image"
            + " one entry.");
      }
    }
    for (CocoCategory category : categories) {
      categoryIds.add(category.id());
    }
    for (CocoAnnotation a : annotations) {
      List<CocoAnnotation> list = byImage.get(a.imageId());
      if (list == null) {
        throw new IllegalArgumentException("annotation " + a.id() + " refers to image_id " + a.imageId()
            + ", which is not among the " + images.size() + " images. Add the image or drop the annotation.");
      }
      list.add(a);
    }
  }

  public List<CocoImage> images() {
    return images;
  }

  public List<CocoCategory> categories() {
    return categories;
  }

  public List<CocoAnnotation> annotations() {
    return annotations;
  }

  /** The category ids, sorted: the categories an evaluation covers. */
  public Set<Integer> categoryIds() {
    return Collections.unmodifiableSet(categoryIds);
  }

  /** True when the set has an image with this id. */
  public boolean hasImage(long imageId) {
    return byImage.containsKey(imageId);
  }

  /** One image's annotations in file order; empty for an image without any (or an unknown id). */
  public List<CocoAnnotation> annotations(long imageId) {
    return Collections.unmodifiableList(byImage.getOrDefault(imageId, List.of()));
  }
}
