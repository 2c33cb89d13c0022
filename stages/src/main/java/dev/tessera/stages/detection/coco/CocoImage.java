package dev.tessera.stages.detection.coco;

/** An image entry of a COCO ground-truth file; width and height are 0 when the file leaves them out. */
public record CocoImage(long id, String fileName, int width, int height) {}
