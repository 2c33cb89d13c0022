package dev.tessera.stages.detection.evaluate;

import dev.tessera.stages.detection.nms.Detection;
import dev.tessera.transforms.sample.Box;
import java.util.List;

/**
 * One evaluated image: its ground truth and final detections, both in pixels of the original image.
 *
 * @param imageId the evaluation's id of the image (shard position times 1,000,000 plus row)
 * @param sampleId the sample id
 * @param height original height in pixels
 * @param width original width in pixels
 * @param truth the ground-truth boxes
 * @param detections the detections after NMS, highest score first
 */
public record ImageResult(long imageId, String sampleId, int height, int width, List<Box> truth,
    List<Detection> detections) {}
