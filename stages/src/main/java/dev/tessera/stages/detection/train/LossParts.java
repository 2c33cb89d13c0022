package dev.tessera.stages.detection.train;

import ai.djl.ndarray.NDArray;

/**
 * The detector's loss and its weighted parts, each a scalar: {@code total = box + objectness + classes}.
 *
 * @param total what the optimizer minimizes
 * @param box the weighted CIoU box loss
 * @param objectness the weighted objectness BCE
 * @param classes the weighted class BCE
 */
public record LossParts(NDArray total, NDArray box, NDArray objectness, NDArray classes) {}
