/**
 * Post-processing of a detector's raw boxes: confidence threshold, class-wise non-maximum suppression (hard, or
 * Soft-NMS with linear or Gaussian decay) and a cap on detections per image.
 */
package dev.tessera.stages.detection.nms;
