package dev.tessera.stages.detection.train;

import dev.tessera.transforms.sample.Box;
import java.util.List;

/**
 * Images of one step as float NCHW ({@code count x 3 x side x side}, normalized as the dataset was) with their
 * boxes in input pixels.
 *
 * @param images the pixels, {@code count * 3 * side * side} floats
 * @param count images in the batch
 * @param boxes each image's boxes
 */
public record DetectionBatch(float[] images, int count, List<List<Box>> boxes) {}
