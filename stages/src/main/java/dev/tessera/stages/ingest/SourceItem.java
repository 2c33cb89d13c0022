package dev.tessera.stages.ingest;

import java.io.Serializable;
import java.util.Objects;

/**
 * One sample to decode, as planned on the driver: where its image and annotation are, and whatever the plan already
 * knows (a class label, boxes from a COCO file, a problem such as a missing image). Decoded on a worker by
 * {@link SourceDecoder}.
 *
 * @param id the sample id, {@code <dataset>/<split>/<name>}
 * @param split the split
 * @param image the image file (for {@link SourceFormat#SHARDS}: the input shard), or {@code null} if none exists
 * @param annotation the annotation file (VOC XML, YOLO txt), or {@code null}
 * @param format how to read the annotation
 * @param label the class label (image folders), or {@code null}
 * @param boxes boxes known from the plan (COCO), as {@code x1, y1, x2, y2, classId} quintuples in pixels; {@code
 *     null} when the annotation file gives them, or for classification
 * @param problem why this item cannot become a sample, known already when planning; {@code null} if none
 */
public record SourceItem(String id, String split, String image, String annotation, SourceFormat format,
    Integer label, float[] boxes, String problem) implements Serializable {
  private static final long serialVersionUID = 1L;

  public SourceItem {
    Objects.requireNonNull(id, "item.id");
    Objects.requireNonNull(split, "item.split");
    Objects.requireNonNull(format, "item.format");
    if (boxes != null && boxes.length % 5 != 0) {
      throw new IllegalArgumentException("item '" + id + "': boxes must hold quintuples, but has " + boxes.length);
    }
  }

  /** An item that goes straight to the dead-letter output. */
  public static SourceItem bad(String id, String split, String source, SourceFormat format, String problem) {
    return new SourceItem(id, split, source, null, format, null, null, problem);
  }

  /** Where the item comes from, for errors and the sample's {@code source}. */
  public String source() {
    if (image == null) {
      return annotation == null ? id : annotation;
    }
    return annotation == null ? image : image + " + " + annotation;
  }
}
