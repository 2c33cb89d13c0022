/**
 * COCO-style detection evaluation with pycocotools' semantics (the 12 numbers of {@code COCOeval.summarize()}),
 * as mergeable per-image partial results and a Beam {@code CombineFn}; VOC AP; COCO GT and result JSON.
 */
package dev.tessera.stages.detection.coco;
