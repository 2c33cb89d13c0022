package dev.tessera.stages.detection.coco;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The mergeable state of a COCO evaluation over some of the images: per category, the outcome of every detection
 * (matched or not, ignored or not, at each IoU threshold and area range) and the count of ground truth. Built one
 * image at a time ({@link #ofImage}), merged in any order or grouping ({@link #addAll}), summarized once at the
 * end ({@link #summarize}): the result equals pycocotools' evaluation of all the images at once.
 *
 * <p>Each image must be added exactly once. Mutable and not thread-safe, like a Beam accumulator.
 *
 * <pre>{@code
 * CocoPartial total = CocoPartial.empty();
 * for (long imageId : imageIds) {
 *   total.addAll(CocoPartial.ofImage(imageId, gt.annotations(imageId), dets.get(imageId), gt.categoryIds()));
 * }
 * CocoSummary summary = total.summarize();
 * }</pre>
 */
public final class CocoPartial {
  private final Map<Integer, CategoryTally> categories = new TreeMap<>();
  private long images;

  private CocoPartial() {}

  /** The state of no images at all. */
  public static CocoPartial empty() {
    return new CocoPartial();
  }

  /**
   * Evaluates one image: its ground truth in file order and its detections in result order. Boxes whose category
   * is not in {@code categoryIds} (the ground-truth file's categories) are not evaluated, as in pycocotools.
   */
  public static CocoPartial ofImage(
      long imageId, List<CocoAnnotation> groundTruth, List<CocoDetection> detections, Set<Integer> categoryIds) {
    Map<Integer, List<CocoAnnotation>> gts = new LinkedHashMap<>();
    for (CocoAnnotation g : groundTruth) {
      requireImage(imageId, g.imageId(), "ground-truth annotation " + g.id());
      if (categoryIds.contains(g.categoryId())) {
        gts.computeIfAbsent(g.categoryId(), k -> new ArrayList<>()).add(g);
      }
    }
    Map<Integer, List<CocoDetection>> dts = new LinkedHashMap<>();
    for (CocoDetection d : detections) {
      requireImage(imageId, d.imageId(), "detection " + d);
      if (categoryIds.contains(d.categoryId())) {
        dts.computeIfAbsent(d.categoryId(), k -> new ArrayList<>()).add(d);
      }
    }
    CocoPartial partial = new CocoPartial();
    partial.images = 1;
    for (int category : categoryIds) {
      List<CocoAnnotation> g = gts.getOrDefault(category, List.of());
      List<CocoDetection> d = dts.getOrDefault(category, List.of());
      if (!g.isEmpty() || !d.isEmpty()) {
        CocoMatcher.match(imageId, g, d, partial.tally(category));
      }
    }
    return partial;
  }

  private static void requireImage(long expected, long actual, String what) {
    if (expected != actual) {
      throw new IllegalArgumentException(
          what + " belongs to image " + actual + ", not to image " + expected + ". Pass one image's boxes at a time.");
    }
  }

  private CategoryTally tally(int category) {
    return categories.computeIfAbsent(category, CategoryTally::new);
  }

  /** Adds another partial result into this one and returns this. */
  public CocoPartial addAll(CocoPartial other) {
    images += other.images;
    for (CategoryTally t : other.categories.values()) {
      tally(t.categoryId).addAll(t);
    }
    return this;
  }

  /** How many images this state covers. */
  public long images() {
    return images;
  }

  /** The 12 COCO numbers and per-category AP of the images added so far. */
  public CocoSummary summarize() {
    return CocoSummary.of(categories.values());
  }

  /** Writes this state in a compact binary form that {@link #decode} reads (the Beam accumulator coder uses it). */
  public void encode(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(stream);
    out.writeLong(images);
    out.writeInt(categories.size());
    for (CategoryTally t : categories.values()) {
      t.write(out);
    }
    out.flush();
  }

  /** Reads what {@link #encode} wrote. */
  public static CocoPartial decode(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    CocoPartial partial = new CocoPartial();
    partial.images = in.readLong();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      CategoryTally t = CategoryTally.read(in);
      partial.categories.put(t.categoryId, t);
    }
    return partial;
  }
}
