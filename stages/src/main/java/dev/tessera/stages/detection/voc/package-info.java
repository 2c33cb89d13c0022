/**
 * Pascal VOC detection AP: per-class average precision at one IoU threshold, all-point (VOC2010+) or 11-point
 * (VOC2007) interpolated, from mergeable per-image partial results.
 */
package dev.tessera.stages.detection.voc;
