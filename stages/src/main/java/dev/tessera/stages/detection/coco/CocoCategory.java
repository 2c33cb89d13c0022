package dev.tessera.stages.detection.coco;

/** A category entry of a COCO ground-truth file. */
public record CocoCategory(int id, String name) {}
