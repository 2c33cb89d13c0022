/**
 * Overlap of axis-aligned boxes in pixel corners (x1, y1, x2, y2): IoU, GIoU, DIoU and CIoU and their losses, on
 * plain doubles and batched on DJL NDArrays.
 */
package dev.tessera.stages.detection.boxes;
