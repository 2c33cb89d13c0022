/** A small one-stage, anchor-based YOLO-style detector as a DJL block, its anchors (k-means) and its decoding. */
package dev.tessera.stages.detection.model;
