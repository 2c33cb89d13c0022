package dev.tessera.stages.ingest;

/** How a dataset's files are laid out; {@link #AUTO} picks the catalog's layout or detects a local folder's. */
public enum SourceFormat {
  /** The catalog's layout for a catalog dataset; for a local folder, detected from what it holds. */
  AUTO,
  /** IDX files (MNIST, Fashion-MNIST). */
  IDX,
  /** One folder per class ({@code <root>/<class>/*.jpg}, or {@code <root>/<split>/<class>/*.jpg}). */
  IMAGE_FOLDER,
  /** COCO JSON ({@code annotations/instances_<split>.json}, images in {@code images/<split>/}). */
  COCO,
  /** Pascal VOC ({@code Annotations/*.xml}, {@code JPEGImages/}, splits in {@code ImageSets/Main/<split>.txt}). */
  VOC,
  /** YOLO txt ({@code images/<split>/*.jpg} with {@code labels/<split>/*.txt}: class cx cy w h, normalized). */
  YOLO,
  /**
   * Segmentation pairs: images with a mask of the same name ({@code image/*.png} and {@code label/*.png}), the mask
   * binarized into class indices ({@link MaskPairs}).
   */
  MASKS,
  /** Arrow shards written by Tessera (a directory with {@code shards.json}), re-checked and re-sharded. */
  SHARDS
}
